// Every table the service owns. Module schemas are added here as modules land.
export * from './schema.js';
export * from '../../modules/conversations/schema.js';
export * from '../../modules/contributions/schema.js';
export * from '../../modules/sortition/schema.js';
export * from '../../modules/onboarding/schema.js';
export * from '../../modules/breakouts/schema.js';
export * from '../moderation/schema.js';
export * from '../subscriptions/schema.js';
export * from '../../modules/debates/schema.js';
export * from '../versions/schema.js';
export * from '../../modules/recommendations/schema.js';
export * from '../amendments/schema.js';
export * from '../../modules/texts/schema.js';
export * from '../../modules/identity/schema.js';
