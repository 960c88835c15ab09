// Every table the service owns. Module schemas are added here as modules land.
export * from './schema.js';
