package export

import "strconv"

// Counted says a number with its noun in the right form: "1 record",
// "3 records", "0 days".
func Counted(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
