import { useChannel } from '../../queries/use-channel';

export const useVaultAndTokens = () => useChannel('tokens:status', {}, { staleTime: 30_000 });
