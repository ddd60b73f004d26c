package mapping

// PaymentAccount is the bank account code money paid by this payment
// method goes to (the default account for methods not mapped).
func (o Options) PaymentAccount(methodCode string) string { return o.paymentAccount(methodCode) }
