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
  sending: '_clerkUserUpdate.sending',
} as const;
