package xero

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// xeroError is the union of the error bodies Xero sends: the API's
// {"ErrorNumber","Type","Message","Elements"} and the problem form
// {"Title","Detail","Status"} (any case).
type xeroError struct {
	ErrorNumber int               `json:"ErrorNumber"`
	Type        string            `json:"Type"`
	Message     string            `json:"Message"`
	Title       string            `json:"Title"`
	Detail      string            `json:"Detail"`
	Elements    []json.RawMessage `json:"Elements"`
}

// decodeError turns a refused call's answer into a typed error.
func decodeError(status int, body []byte, what string) error {
	var xe xeroError
	_ = json.Unmarshal(body, &xe) // a body that is not JSON still gives a typed error
	switch status {
	case http.StatusNotFound:
		return &NotFoundError{What: what}
	case http.StatusForbidden:
		return &ForbiddenError{Detail: clip(firstOf(xe.Detail, xe.Message, xe.Title))}
	case http.StatusUnauthorized:
		return &AuthError{Reason: AuthRevoked}
	}
	var msgs []string
	for _, raw := range xe.Elements {
		var el ElementStatus
		if json.Unmarshal(raw, &el) == nil {
			msgs = append(msgs, messages(el.ValidationErrors)...)
		}
	}
	if len(msgs) > 0 {
		return &ValidationError{Index: -1, Messages: msgs}
	}
	msg := firstOf(xe.Message, xe.Detail, xe.Title)
	if msg == "" && len(body) > 0 && !bytes.HasPrefix(bytes.TrimSpace(body), []byte("{")) {
		msg = string(body)
	}
	var list []string
	if msg = clip(msg); msg != "" {
		list = []string{msg}
	}
	return &RequestError{Status: status, Type: clip(xe.Type), Messages: list}
}

// errorDetail is a short description of a 5xx answer.
func errorDetail(body []byte) string {
	var xe xeroError
	if json.Unmarshal(body, &xe) == nil {
		if s := clip(firstOf(xe.Detail, xe.Message, xe.Title)); s != "" {
			return s
		}
	}
	return "no details"
}

func firstOf(s ...string) string {
	for _, v := range s {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// clip keeps Xero's text readable in a message.
func clip(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 300 {
		return string(r[:300]) + "…"
	}
	return s
}

func messages(ms []Message) []string {
	out := make([]string, 0, len(ms))
	for _, m := range ms {
		if s := clip(m.Message); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// decodeJSON reads a 2xx answer into out; unknown fields are ignored.
func decodeJSON(body []byte, out any, what string) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return fmt.Errorf("xero: %s: Xero sent an empty answer", what)
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("xero: %s: Xero's answer could not be read: %w", what, err)
	}
	return nil
}

// decodeList reads the list under key (e.g. "Invoices") and the paging
// information from a 2xx answer.
func decodeList[T any](body []byte, key, what string) ([]T, *Pagination, error) {
	var env map[string]json.RawMessage
	if err := decodeJSON(body, &env, what); err != nil {
		return nil, nil, err
	}
	var items []T
	if raw, ok := env[key]; ok && string(raw) != "null" {
		if err := json.Unmarshal(raw, &items); err != nil {
			return nil, nil, fmt.Errorf("xero: %s: Xero's answer could not be read: %w", what, err)
		}
	}
	var pg *Pagination
	if raw, ok := env["pagination"]; ok {
		var p Pagination
		if json.Unmarshal(raw, &p) == nil {
			pg = &p
		}
	}
	return items, pg, nil
}
