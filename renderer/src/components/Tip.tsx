// A tooltip on Radix UI's Tooltip: shown on hover and on keyboard focus, dismissed by Escape, and
// announced as the trigger's description (a `title` attribute is none of these). The trigger must be
// focusable (a button) for keyboard users to reach it.
import type { ReactElement, ReactNode } from 'react';
import { Tooltip } from 'radix-ui';
import { closeInnermostDialog } from './Dialog';

export function Tip({ content, children, side = 'top' }: { content: ReactNode; children: ReactElement; side?: 'top' | 'bottom' | 'left' | 'right' }) {
  return (
    <Tooltip.Provider delayDuration={400}>
      <Tooltip.Root>
        <Tooltip.Trigger asChild>{children}</Tooltip.Trigger>
        <Tooltip.Portal>
          {/* A tooltip is a layer above the dialog it is in: one Escape closes both, as the operator means. */}
          <Tooltip.Content className="tooltip" side={side} sideOffset={4} onEscapeKeyDown={() => closeInnermostDialog()}>
            {content}
          </Tooltip.Content>
        </Tooltip.Portal>
      </Tooltip.Root>
    </Tooltip.Provider>
  );
}
