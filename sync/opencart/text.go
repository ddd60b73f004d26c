package opencart

import (
	"encoding/json"
	"html"
	"strings"
)

// DecodeText turns a text value as OpenCart stores it into what the person
// typed: HTML entities are decoded exactly once (so a stored "&amp;amp;"
// comes out as "&amp;"), invalid UTF-8 bytes become U+FFFD and surrounding
// white space is trimmed.
func DecodeText(s string) string {
	if strings.Contains(s, "&") {
		s = html.UnescapeString(s)
	}
	return strings.TrimSpace(strings.ToValidUTF8(s, "\uFFFD"))
}

// decodeJSON parses a JSON column (custom fields, 4.x payment and shipping
// methods) and decodes every string inside it once. OpenCart writes "" or
// "[]" when there is nothing; both, and anything that is not JSON, give nil.
func decodeJSON(raw string) any {
	raw = strings.TrimSpace(raw)
	if raw == "" || raw == "[]" || raw == "{}" {
		return nil
	}
	var v any
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		return nil
	}
	return decodeJSONValue(v)
}

func decodeJSONValue(v any) any {
	switch x := v.(type) {
	case string:
		return DecodeText(x)
	case []any:
		for i := range x {
			x[i] = decodeJSONValue(x[i])
		}
		return x
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			out[DecodeText(k)] = decodeJSONValue(val)
		}
		return out
	default:
		return x
	}
}

// decodeCustomFields reads a custom_field column: a JSON object of
// custom_field_id to value (a string, or a list for checkboxes).
func decodeCustomFields(raw string) map[string]any {
	m, _ := decodeJSON(raw).(map[string]any)
	if len(m) == 0 {
		return nil
	}
	return m
}

// jsonString returns m[key] as text; numbers are written as JSON writes them.
func jsonString(m map[string]any, key string) string {
	switch v := m[key].(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case float64:
		b, _ := json.Marshal(v)
		return string(b)
	default:
		return ""
	}
}
