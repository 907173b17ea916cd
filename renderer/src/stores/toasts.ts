// In-app notifications (browser mode's notification port, and confirmations of actions). A toast
// may belong to a group (a job): a newer toast of the group replaces the older one instead of
// stacking, and at most MAX_VISIBLE are kept, newest last, so they never pile up over the page.
import { create } from 'zustand';

export interface Toast {
  id: number;
  tone: 'ok' | 'bad' | 'info';
  title: string;
  body?: string;
  /** Toasts of one group (e.g. one job) replace each other. */
  group?: string;
}

interface ToastState {
  toasts: Toast[];
  push(toast: Omit<Toast, 'id'>): void;
  dismiss(id: number): void;
}

export const MAX_VISIBLE_TOASTS = 3;

let nextId = 1;

export const useToasts = create<ToastState>((set) => ({
  toasts: [],
  push: (toast) => {
    const id = nextId++;
    set((s) => {
      const others = toast.group === undefined ? s.toasts : s.toasts.filter((t) => t.group !== toast.group);
      return { toasts: [...others, { ...toast, id }].slice(-MAX_VISIBLE_TOASTS) };
    });
  },
  dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}));
