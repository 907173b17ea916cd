// The README's generated blocks: the text between `<!-- name:start -->` and `<!-- name:end -->` is
// written by a script from a result file (bench, reliability, mutation), never typed. One function
// for every renderer, so each block is found and replaced the same way.

/**
 * `text` with the block `name` replaced by `body`. A text without the block throws naming `where`,
 * unless `missing` is 'keep' (the bench's partial runs write into files that may lack it): then
 * `text` comes back unchanged.
 */
export function replaceBlock(text, name, body, where, missing = 'throw') {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) {
    if (missing === 'keep') return text;
    throw new Error(`${where} has no ${start} … ${end} block`);
  }
  return `${text.slice(0, from + start.length)}\n${body}\n${text.slice(to)}`;
}
