package xero

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrNoToken is returned by a TokenStore that holds no Xero sign-in yet.
var ErrNoToken = errors.New("xero: not connected to Xero")

// ErrPortInUse is wrapped by the error returned when the sign-in callback
// port is taken by another program.
var ErrPortInUse = errors.New("xero: callback port in use")

// ValidationError is Xero's refusal of one record: which one (its position in
// the list that was sent, counting from 0) and Xero's reasons.
type ValidationError struct {
	// Index is the record's position in the list given to the client; -1
	// when the request carried a single document.
	Index int
	// Messages are Xero's reasons, word for word.
	Messages []string
}

// Error says which record Xero refused and why.
func (e *ValidationError) Error() string {
	msg := strings.Join(e.Messages, "; ")
	if msg == "" {
		msg = "no reason given"
	}
	if e.Index < 0 {
		return "xero: Xero did not accept this: " + msg
	}
	return fmt.Sprintf("xero: Xero did not accept record %d: %s", e.Index+1, msg)
}

// Rate limit problems reported by Xero in X-Rate-Limit-Problem.
const (
	LimitMinute     = "minute"
	LimitDay        = "day"
	LimitConcurrent = "concurrent"
)

// RateLimitError says Xero refused a call because too many were made: per
// minute, per day or at once. A day limit means no more calls until Reset.
type RateLimitError struct {
	// Problem is LimitMinute, LimitDay or LimitConcurrent.
	Problem string
	// RetryAfter is how long Xero asked to wait.
	RetryAfter time.Duration
	// Reset is when calls are allowed again.
	Reset time.Time
}

// Error says which limit was hit and when calls may go again.
func (e *RateLimitError) Error() string {
	switch e.Problem {
	case LimitDay:
		return fmt.Sprintf("xero: the daily limit of calls to this Xero organisation is used up; it resets at %s (in %s)",
			e.Reset.Local().Format("2006-01-02 15:04 MST"), e.RetryAfter.Round(time.Minute))
	default:
		return fmt.Sprintf("xero: Xero is still refusing calls (%s limit) after waiting; try again after %s",
			e.Problem, e.Reset.Local().Format("15:04:05"))
	}
}

// Reasons an AuthError gives.
const (
	AuthNoToken      = "no_token"      // never connected
	AuthInvalidGrant = "invalid_grant" // refresh token expired, used up or revoked
	AuthRevoked      = "revoked"       // access withdrawn in Xero
	AuthDenied       = "access_denied" // the person declined in the browser
	AuthClient       = "invalid_client"
	AuthFailed       = "failed"
	AuthOtherIssuer  = "other_issuer" // the stored sign-in was made with another Xero address
)

// AuthError means the connection to Xero must be made again (connect).
type AuthError struct {
	// Reason is one of the Auth* constants or Xero's OAuth error code.
	Reason string
	// Err is the cause, if any; it never carries a token.
	Err error
}

// Error says that (and why) Xero must be connected again.
func (e *AuthError) Error() string {
	var s string
	switch e.Reason {
	case AuthNoToken:
		s = "xero: not connected to Xero yet; run connect first"
	case AuthInvalidGrant:
		s = "xero: the Xero connection has expired or was withdrawn; connect to Xero again"
	case AuthRevoked:
		s = "xero: Xero no longer accepts this connection; connect to Xero again"
	case AuthDenied:
		s = "xero: access was not granted in the Xero sign-in page"
	case AuthOtherIssuer:
		s = "xero: the stored Xero sign-in belongs to another Xero address (xero.base_url changed) and is not sent to this one; connect to Xero again"
	case AuthClient:
		s = "xero: Xero does not recognise the client ID or secret; check xero.client_id and xero.client_secret"
	default:
		s = "xero: signing in to Xero failed (" + e.Reason + "); connect to Xero again"
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap gives the cause.
func (e *AuthError) Unwrap() error { return e.Err }

// NotFoundError means Xero has no such record.
type NotFoundError struct {
	// What names what was looked for, e.g. "GET /Invoices/123".
	What string
}

// Error names what Xero did not find.
func (e *NotFoundError) Error() string { return "xero: Xero has no such record (" + e.What + ")" }

// TransientError means Xero or the network kept failing after several tries.
type TransientError struct {
	// Status is the last HTTP status, 0 for a network failure.
	Status int
	// Attempts is how many times the call was tried.
	Attempts int
	// Err is the last failure.
	Err error
}

// Error says Xero could not be reached properly and how often it was tried.
func (e *TransientError) Error() string {
	what := "the network failed"
	if e.Status != 0 {
		what = fmt.Sprintf("Xero answered with error %d", e.Status)
	}
	s := fmt.Sprintf("xero: Xero could not be reached properly (%s, %d tries); try again later", what, e.Attempts)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap gives the last failure.
func (e *TransientError) Unwrap() error { return e.Err }

// ForbiddenError means the connection may not do this: a wrong organisation
// (tenant) or a permission (scope) that was not granted.
type ForbiddenError struct {
	// Detail is Xero's own wording.
	Detail string
}

// Error says Xero refused access and what to do.
func (e *ForbiddenError) Error() string {
	s := "xero: Xero refused access: the chosen organisation is not connected or a permission is missing; connect again"
	if e.Detail != "" {
		s += " (" + e.Detail + ")"
	}
	return s
}

// RequestError is any other refusal of a request by Xero (HTTP 4xx), with
// Xero's words.
type RequestError struct {
	// Status is the HTTP status.
	Status int
	// Type is Xero's error type, e.g. "PostDataInvalidException".
	Type string
	// Messages are Xero's reasons.
	Messages []string
}

// Error gives Xero's reasons for refusing the request.
func (e *RequestError) Error() string {
	msg := strings.Join(e.Messages, "; ")
	if msg == "" {
		msg = "no reason given"
	}
	return fmt.Sprintf("xero: Xero refused the request (%d): %s", e.Status, msg)
}

// ErrNoTenant is returned by accounting calls when no organisation is chosen.
var ErrNoTenant = errors.New("xero: no Xero organisation is chosen; run connect (with --tenant) or set xero.tenant_id")
