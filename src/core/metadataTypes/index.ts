/** Typed metadata: the team's declarations as a plain value, and the checks against them. */
export * from './model';
export { checkMetadata, type MetadataCheck } from './check';
export { checkMetadataFields } from './checkFields';
export { metadataModeOfRoot } from '../metadata/mode';
export {
  cellTypeFor,
  declaredColumn,
  parseCellByDeclaredType,
  readDeclaredCell,
  type CellType,
  type DeclaredColumn,
  type ParsedCell,
} from './cells';
export { metadataTypesFromJsonSchema } from './fromJsonSchema';
export { metadataCompletions, metadataHover, typeText, type MetadataCompletion } from './assist';
