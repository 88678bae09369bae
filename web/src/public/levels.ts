/** Colours of the current level on the portal (always with the level's name beside them). */
export const LEVEL_STYLE: Record<string, { color: string; text: string; short: string }> = {
  '': { color: '#eeeeee', text: '#222', short: '' },
  ntm: { color: '#9fd8c4', text: '#111', short: 'NTM' },
  'nang-cao': { color: '#1f6aa5', text: '#fff', short: 'NC' },
  'kieu-mau': { color: '#15306e', text: '#fff', short: 'KM' },
  'hien-dai': { color: '#5b2a86', text: '#fff', short: 'HĐ' },
};
export const LEVEL_ORDER = ['ntm', 'nang-cao', 'kieu-mau', 'hien-dai'] as const;
