package mapping

import (
	"fmt"
	"strings"
)

// Severity says whether a problem stops a document from being sent.
type Severity string

// The two severities of a problem.
const (
	// SeverityError means the document must not be sent as it is.
	SeverityError Severity = "error"
	// SeverityWarning means the document is sent anyway; the bookkeeper should know.
	SeverityWarning Severity = "warning"
)

// Problem is something about a record a bookkeeper should read: which field,
// what is wrong in plain words, and whether it stops the export.
type Problem struct {
	Field    string   `json:"field"`
	Message  string   `json:"message"`
	Severity Severity `json:"severity"`
}

// String prints the problem as one line.
func (p Problem) String() string {
	if p.Field == "" {
		return string(p.Severity) + ": " + p.Message
	}
	return string(p.Severity) + ": " + p.Field + ": " + p.Message
}

// HasErrors reports whether any problem stops the document from being sent.
func HasErrors(problems []Problem) bool {
	for _, p := range problems {
		if p.Severity == SeverityError {
			return true
		}
	}
	return false
}

// problems collects problems while a document is built.
type problems []Problem

func (ps *problems) errorf(field, format string, args ...any) {
	*ps = append(*ps, Problem{Field: field, Message: fmt.Sprintf(format, args...), Severity: SeverityError})
}

func (ps *problems) warnf(field, format string, args ...any) {
	*ps = append(*ps, Problem{Field: field, Message: fmt.Sprintf(format, args...), Severity: SeverityWarning})
}

// joinProblems prints problems one per line (for error texts).
func joinProblems(ps []Problem) string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}
