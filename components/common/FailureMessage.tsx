// Why a request failed, announced to screen readers; nothing when it did not.
export function FailureMessage({ message }: { message: string | null | undefined }) {
  if (!message) return null;
  return (
    <p role="alert" className="text-sm text-red-400">
      {message}
    </p>
  );
}
