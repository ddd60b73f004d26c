package history

import "testing"

func TestKeys(t *testing.T) {
	for _, tc := range []struct {
		name, key string
		want      Key
	}{
		{"an order's invoice or payment", OrderKey(42), Key{OrderID: 42}},
		{"a refunded order's credit note", RefundKey(42), Key{OrderID: 42, Refund: true}},
		{"a return's credit note", ReturnKey(7), Key{ReturnID: 7}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := ParseKey(tc.key)
			if !ok || got != tc.want {
				t.Errorf("ParseKey(%q) = %+v, %v; want %+v", tc.key, got, ok, tc.want)
			}
		})
	}
	// The keys are stored in every history: they must never change.
	for key, want := range map[string]string{OrderKey(42): "42", RefundKey(42): "order-42", ReturnKey(7): "return-7"} {
		if key != want {
			t.Errorf("key %q, want %q as every history holds it", key, want)
		}
	}
}

func TestParseKeyRefuses(t *testing.T) {
	for _, key := range []string{"", "OC-C12", "OC-G0123456789ab", "order-", "return-", "order-x", "return-7x", "+42", "042", "order-042", " 42", "refund-42"} {
		if k, ok := ParseKey(key); ok || k != (Key{}) {
			t.Errorf("ParseKey(%q) = %+v, want not a key", key, k)
		}
	}
}

func TestRenewalKeysAreNotOrderKeys(t *testing.T) {
	for _, tc := range []struct {
		key   string
		want  string
		id    int
		subTx bool
	}{
		{RenewalKey(false, 17), "renewal-17", 17, false},
		{RenewalKey(true, 17), "renewal-s17", 17, true},
	} {
		if tc.key != tc.want {
			t.Errorf("key %q, want %q as every history holds it", tc.key, tc.want)
		}
		if k, ok := ParseKey(tc.key); ok || k != (Key{}) {
			t.Errorf("ParseKey(%q) = %+v, %v: a renewal names no order", tc.key, k, ok)
		}
		id, sub, ok := ParseRenewalKey(tc.key)
		if !ok || id != tc.id || sub != tc.subTx {
			t.Errorf("ParseRenewalKey(%q) = %d, %v, %v", tc.key, id, sub, ok)
		}
	}
	for _, key := range []string{"", "17", "renewal-", "renewal-s", "renewal-017", "renewal-+1", "renewal-x1", "order-17"} {
		if _, _, ok := ParseRenewalKey(key); ok {
			t.Errorf("ParseRenewalKey(%q) read a key", key)
		}
	}
}
