// The token DTOs live in shared/tokens.ts (the contract needs them); core adds its helpers here.
import type { ProviderTokenStatus } from '../../../shared/tokens';

export * from '../../../shared/tokens';

export const missingStatus = (): ProviderTokenStatus => ({ state: 'missing', checkedAt: null, message: null });
