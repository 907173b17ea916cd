import { useState } from 'react';
import { Tip } from './Tip';

async function writeClipboard(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // No clipboard permission (e.g. an unfocused page): the old selection-based copy still works.
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'offscreen';
    document.body.appendChild(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
}

/** Copies `text`; `label` names what is copied for screen readers ("Copy tailnet IP"). */
export function CopyButton({ text, label, children }: { text: string; label: string; children?: React.ReactNode }) {
  const [copied, setCopied] = useState(false);
  return (
    <Tip content={label}>
      <button
        type="button"
        className="btn btn-small btn-ghost copy"
        aria-label={label}
        onClick={() => {
          void writeClipboard(text).then(() => {
            setCopied(true);
            setTimeout(() => setCopied(false), 1500);
          });
        }}
      >
        {copied ? '✓ Copied' : (children ?? 'Copy')}
        <span className="offscreen" role="status">
          {copied ? 'Copied' : ''}
        </span>
      </button>
    </Tip>
  );
}
