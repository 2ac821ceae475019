/** Command ids. Internal commands start with `_`. */
export const CommandIds = {
  sendUpdate: 'clerkUserUpdate.sendUpdate',
  previewChanges: 'clerkUserUpdate.previewChanges',
  sendFromPreview: 'clerkUserUpdate.sendFromPreview',
  undoLastSend: 'clerkUserUpdate.undoLastSend',
  cancelSend: 'clerkUserUpdate.cancelSend',
  addEnvironment: 'clerkUserUpdate.addEnvironment',
  selectEnvironment: 'clerkUserUpdate.selectEnvironment',
  setKey: 'clerkUserUpdate.setKey',
  removeKey: 'clerkUserUpdate.removeKey',
  newFile: 'clerkUserUpdate.newFile',
  newFileForUser: 'clerkUserUpdate.newFileForUser',
  showLog: 'clerkUserUpdate.showLog',
  sendBulk: 'clerkUserUpdate.sendBulk',
  previewRun: 'clerkUserUpdate.previewRun',
  cancelRun: 'clerkUserUpdate.cancelRun',
  retryFailedRows: 'clerkUserUpdate.retryFailedRows',
  undoRun: 'clerkUserUpdate.undoRun',
  exportUsers: 'clerkUserUpdate.exportUsers',
  copyAs: 'clerkUserUpdate.copyAs',
  /** The lenses' "Sending…" and "Running…": nothing to do. */
  sending: '_clerkUserUpdate.sending',
} as const;

/** Setting ids. Only settings.ts reads or writes them. */
export const SettingIds = {
  section: 'clerkUserUpdate',
  apiVersion: 'clerkUserUpdate.apiVersion',
  environments: 'clerkUserUpdate.environments',
  requestTimeoutSeconds: 'clerkUserUpdate.requestTimeoutSeconds',
  maxRateLimitRetries: 'clerkUserUpdate.maxRateLimitRetries',
  validationDelayMs: 'clerkUserUpdate.validationDelayMs',
  bulkAllowSecrets: 'clerkUserUpdate.bulk.allowSecrets',
  bulkRate: 'clerkUserUpdate.bulk.rate',
} as const;
