package opencart

import "context"

// ExecForTest runs a statement on the reader's own (read-only) sessions, so
// tests can prove that a write is refused.
func ExecForTest(ctx context.Context, r *Reader, stmt string) error {
	_, err := r.db.ExecContext(ctx, stmt)
	return err
}
