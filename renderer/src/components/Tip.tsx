// A tooltip on Radix UI's Tooltip: shown on hover and on keyboard focus, dismissed by Escape, and
// announced as the trigger's description (a `title` attribute is none of these). The trigger must be
// focusable (a button) for keyboard users to reach it.
import type { ReactElement, ReactNode } from 'react';
import { Tooltip } from 'radix-ui';

export function Tip({ content, children, side = 'top' }: { content: ReactNode; children: ReactElement; side?: 'top' | 'bottom' | 'left' | 'right' }) {
  return (
    <Tooltip.Provider delayDuration={400}>
      <Tooltip.Root>
        <Tooltip.Trigger asChild>{children}</Tooltip.Trigger>
        <Tooltip.Portal>
          <Tooltip.Content className="tooltip" side={side} sideOffset={4}>
            {content}
          </Tooltip.Content>
        </Tooltip.Portal>
      </Tooltip.Root>
    </Tooltip.Provider>
  );
}
