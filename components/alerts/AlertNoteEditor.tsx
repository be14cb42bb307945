'use client';
// An alert's note, written in a row below it: saved with the "annotate" triage action.
import { useState } from 'react';
import { buttonClass, inputClass, primaryButtonClass } from '@/components/common/styles';

interface AlertNoteEditorProps {
  alertId: number;
  note: string | null;
  colSpan: number;
  isBusy: boolean;
  onSave: (note: string) => void;
  onCancel: () => void;
}

export function AlertNoteEditor({ alertId, note, colSpan, isBusy, onSave, onCancel }: AlertNoteEditorProps) {
  const [draft, setDraft] = useState(note ?? '');
  return (
    <tr data-note-editor={alertId}>
      <td colSpan={colSpan}>
        <form
          className="flex items-start gap-2"
          onSubmit={(event) => {
            event.preventDefault();
            onSave(draft);
          }}
        >
          <label className="flex-1">
            <span className="sr-only">Note for alert {alertId}</span>
            <textarea
              value={draft}
              onChange={(event) => setDraft(event.target.value)}
              maxLength={4000}
              rows={2}
              autoFocus
              className={`${inputClass} w-full`}
              placeholder="What did you find? Who owns this?"
            />
          </label>
          <button type="submit" className={primaryButtonClass} disabled={isBusy}>
            Save note
          </button>
          <button type="button" className={buttonClass} onClick={onCancel}>
            Cancel
          </button>
        </form>
      </td>
    </tr>
  );
}
