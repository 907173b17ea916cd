// happy-dom lays nothing out: every box is 0×0, so a virtualized list shows no row. This gives
// elements a viewport-sized box (what the fleet table's virtualizer measures) for component tests.
export function giveLayout(width = 1200, height = 800): void {
  for (const [prop, value] of [
    ['offsetWidth', width],
    ['offsetHeight', height],
    ['clientWidth', width],
    ['clientHeight', height],
  ] as const) {
    Object.defineProperty(HTMLElement.prototype, prop, { configurable: true, get: () => value });
  }
}
