package octest

import (
	"crypto/sha1"
	"encoding/hex"
	"strconv"
	"time"
)

// CustomField is a custom field the shop defines (Customers › Custom
// Fields): its name per language is in custom_field_description, and
// values are kept by its id in the custom_field JSON columns.
type CustomField struct {
	// Name in the admin language (English).
	Name string
	// Location is "account" (customer and order custom_field) or
	// "address" (address, payment_ and shipping_custom_field).
	Location string // "" : account
	Type     string // "" : text
	Disabled bool
	// Names adds the name in other languages, by language_id.
	Names map[int]string
}

// AddCustomField adds a custom field and returns its id, the key its
// values are stored under (as a string) in the custom_field JSON columns.
func (d *DB) AddCustomField(f CustomField) string {
	d.t.Helper()
	id := d.nextID("custom_field", "custom_field_id")
	d.insert("custom_field", row{"custom_field_id": id, "type": orText(f.Type, "text"), "value": "", "validation": "",
		"location": orText(f.Location, "account"), "status": !f.Disabled, "sort_order": id})
	rows := []row{{"custom_field_id": id, "language_id": LanguageEnglish, "name": text(false, f.Name)}}
	for lang, name := range f.Names {
		rows = append(rows, row{"custom_field_id": id, "language_id": lang, "name": text(false, name)})
	}
	d.insert("custom_field_description", rows...)
	return strconv.Itoa(id)
}

// AddUpload stores a file upload as catalog/model/tool/upload.php does
// (name as the customer's file was called, filename with a random suffix,
// code a 40-character SHA-1) and returns the code an order_option of type
// "file" holds as its value.
func (d *DB) AddUpload(name string) string {
	d.t.Helper()
	id := d.nextID("upload", "upload_id")
	sum := sha1.Sum([]byte(d.Name + strconv.Itoa(id) + name))
	code := hex.EncodeToString(sum[:])
	d.insert("upload", row{"upload_id": id, "name": text(false, name), "filename": text(false, name) + "." + code[:32],
		"code": code, "date_added": DefaultDate.Add(time.Duration(id) * time.Minute).Format(time.DateTime)})
	return code
}
