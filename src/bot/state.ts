// What a chat is in the middle of, stored per (channel, address) in the conversation table.
import type { CalendarDate } from '../engine/calendar.ts';
import type { Language } from '../engine/messages.ts';
import type { InvoiceDraft, OwnerCommand } from '../engine/owner-command.ts';

/** An action the owner was asked to confirm with yes/no. */
export type PendingAction =
  | {
      kind: 'save_invoice';
      debtorId: string | null;
      debtorName: string;
      phone: string | null;
      amountMinor: number;
      dueOn: CalendarDate | null;
      number: string | null;
    }
  | { kind: 'cancel_invoice'; invoiceId: string }
  | {
      kind: 'record_payment';
      debtorId: string;
      amountMinor: number;
      invoiceId: string | null;
      method: string | null;
      reference: string | null;
      receivedOn: CalendarDate;
    }
  | { kind: 'undo_payment'; paymentId: string }
  | { kind: 'remove_agent'; memberId: string };

export type ConversationState =
  | { flow: 'onboarding'; step: 'name' | 'currency' | 'timezone'; language: Language; name?: string; currency?: string }
  | { flow: 'add'; step: 'name' | 'amount'; draft: InvoiceDraft }
  | { flow: 'confirm'; action: PendingAction }
  | {
      flow: 'choose_debtor';
      options: Array<{ id: string; name: string }>;
      /** The command to run again with the chosen debtor's name. */
      command: OwnerCommand;
      /** Offer "a new customer" as the last option (when adding an invoice). */
      allowNew: string | null;
    }
  | { flow: 'import'; lines: string[] }
  /** The owner was shown this page of open invoices, with more after it: "more" shows the next. */
  | { flow: 'list'; page: number }
  /** A debtor promised to pay without a date and was asked for one (once). */
  | { flow: 'debtor_promise_date'; promiseId: string };
