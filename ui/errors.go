package ui

import (
	"errors"
	"log/slog"
	"strings"

	"loyaltydesk/app"
)

// Reasons of field errors found by the screens themselves, before a use case
// sees the input.
const (
	reasonNotNumber = "not_number" // not a whole number
	reasonNotMoney  = "not_money"  // not an amount of roubles
)

// fieldLabel returns the translated name of a field, for messages.
func fieldLabel(field string) string {
	switch field {
	case app.FieldFirstName:
		return tr("field.first_name", "First name")
	case app.FieldLastName:
		return tr("field.last_name", "Last name")
	case app.FieldPatronymic:
		return tr("field.patronymic", "Patronymic")
	case app.FieldPhone:
		return tr("field.phone", "Phone")
	case app.FieldEmail:
		return tr("field.email", "E-mail")
	case app.FieldGender:
		return tr("field.gender", "Gender")
	case app.FieldBirthDate:
		return tr("field.birth_date", "Birth date")
	case app.FieldExternalID:
		return tr("field.external_id", "External ID")
	case app.FieldNote:
		return tr("field.note", "Note")
	case app.FieldIdentifier:
		return tr("field.identifier", "Identifier")
	case app.FieldMedia:
		return tr("field.media", "Media")
	case app.FieldInput:
		return tr("field.input", "Input")
	case app.FieldRegion:
		return tr("field.phone_region", "Phone region")
	case app.FieldAge:
		return tr("field.age", "Age")
	case app.FieldVisits:
		return tr("field.visits", "Purchases")
	case app.FieldSold:
		return tr("field.sold", "Sold")
	case app.FieldPaid:
		return tr("field.paid", "Paid")
	case app.FieldLastVisit:
		return tr("field.last_visit", "Last visit")
	case app.FieldBirthday:
		return tr("field.birthday", "Birthday")
	case app.FieldFilter:
		return tr("field.filter", "Filter")
	case app.FieldName:
		return tr("field.name", "Name")
	case app.FieldValue:
		return tr("field.value", "Value")
	case app.FieldContact:
		return tr("field.contact", "Contact")
	case app.FieldTag:
		return tr("field.tag", "Tag")
	case app.FieldGroup:
		return tr("field.group", "Group")
	case app.FieldReferrer:
		return tr("field.referrer", "Referred by")
	case app.FieldReason:
		return tr("field.block_reason", "Block reason")
	case app.FieldColumn:
		return tr("field.column", "Column")
	case app.FieldUserName:
		return tr("field.user_name", "User name")
	case app.FieldRole:
		return tr("field.role", "Role")
	case app.FieldSecret:
		return tr("field.secret", "PIN or password")
	case app.FieldAmount:
		return tr("field.amount", "Amount")
	case app.FieldPoints:
		return tr("field.points", "Points")
	case app.FieldNumber:
		return tr("field.number", "Purchase number")
	case app.FieldQuantity:
		return tr("field.quantity", "Quantity")
	case app.FieldPrice:
		return tr("field.price", "Price")
	case app.FieldProduct:
		return tr("field.product", "Product")
	case app.FieldProductCat:
		return tr("field.product_category", "Product category")
	case app.FieldSKU:
		return tr("field.sku", "SKU")
	case app.FieldAccountType:
		return tr("field.account_type", "Account type")
	case app.FieldOpReason:
		return tr("field.reason", "Reason")
	case app.FieldMessage:
		return tr("field.message", "Message to the client")
	case app.FieldBonusPay:
		return tr("field.bonus_pay", "Pay with points")
	case app.FieldDiscount:
		return tr("field.discount", "Discount")
	case app.FieldMinOrder:
		return tr("field.min_order", "Minimum order")
	case app.FieldReward:
		return tr("field.reward", "Reward")
	case app.FieldPayShare:
		return tr("field.pay_share", "Share payable with points")
	case app.FieldMinBalance:
		return tr("field.min_balance", "Minimum balance")
	case app.FieldActiveDates:
		return tr("field.active_dates", "Active dates")
	case app.FieldWeekdays:
		return tr("field.weekdays", "Days of the week")
	case app.FieldHours:
		return tr("field.hours", "Hours")
	case app.FieldLine:
		return tr("field.line", "Line")
	case app.FieldClient:
		return tr("field.client", "Client")
	case app.FieldGift:
		return tr("field.gift", "Gift")
	case app.FieldExpiryDays:
		return tr("field.expiry_days", "Points expire after, days")
	case app.FieldPurchase:
		return tr("field.purchase", "Purchase")
	case app.FieldSpendFrom:
		return tr("field.spend_from", "Spend from")
	case app.FieldSpendTo:
		return tr("field.spend_to", "Spend to")
	case app.FieldOpeningBal:
		return tr("field.opening_balance", "Opening balance")
	case app.FieldMeasure:
		return tr("field.measure", "Counted by")
	case app.FieldThreshold:
		return tr("field.threshold", "From")
	case app.FieldClass:
		return tr("field.class", "Class")
	case app.FieldCategory:
		return tr("field.category", "Category")
	case app.FieldStatus:
		return tr("field.status", "Status")
	case app.FieldPriority:
		return tr("field.priority", "Priority")
	case app.FieldLapseDays:
		return tr("field.lapse_days", "Cancel the discount after days without a visit")
	case app.FieldClassLapseDays:
		return tr("field.class_lapse_days", "Cancel the class after days without a visit")
	case app.FieldWarningDays:
		return tr("field.warning_days", "Warn days before the discount lapses")
	case app.FieldTemplate:
		return tr("field.template", "Message template")
	case app.FieldMode:
		return tr("field.mode", "What the change means")
	case app.FieldVisitAt:
		return tr("field.visit_at", "Visit date")
	case app.FieldVisitStatus:
		return tr("field.visit_status", "Visit status")
	case app.FieldDevice:
		return tr("field.device", "Device")
	case app.FieldDeviceKind:
		return tr("field.device_kind", "Kind of device")
	case app.FieldCamera:
		return tr("field.camera", "Camera")
	case app.FieldPort:
		return tr("field.port", "Port")
	case app.FieldUSB:
		return tr("field.usb_id", "USB id")
	case app.FieldBaud:
		return tr("field.baud", "Baud rate")
	case app.FieldDataBits:
		return tr("field.data_bits", "Data bits")
	case app.FieldParity:
		return tr("field.parity", "Parity")
	case app.FieldStopBits:
		return tr("field.stop_bits", "Stop bits")
	case app.FieldTerminator:
		return tr("field.terminator", "End of line")
	case app.FieldIdleGap:
		return tr("field.idle_gap", "Pause that ends a line, ms")
	case app.FieldWedgeGap:
		return tr("field.wedge_gap", "Longest gap between keys, ms")
	case app.FieldWedgeLen:
		return tr("field.wedge_min_len", "Shortest code, characters")
	case app.FieldFormat:
		return tr("field.format", "Format")
	case app.FieldVenueName:
		return tr("field.venue_name", "Venue name")
	case app.FieldLogo:
		return tr("field.logo", "Logo")
	case app.FieldColour:
		return tr("field.colour", "Colour")
	case fieldCardBackground:
		return tr("field.card_background", "Background colour")
	case fieldCardForeground:
		return tr("field.card_foreground", "Text colour")
	case fieldCardAccent:
		return tr("field.card_accent", "Accent colour")
	}
	return field
}

// fieldMessage turns a field error into a short translated sentence that names
// the field and says what to do.
func fieldMessage(fe app.FieldError) string { return fieldMessageAs(fe, fieldLabel(fe.Field), "") }

// fieldMessageAs is fieldMessage naming the field label, and for a taken
// value the client owner who holds it ("" when unknown). A phone in the value
// is shown as people write it.
func fieldMessageAs(fe app.FieldError, label, owner string) string {
	value := fe.Value
	if strings.HasPrefix(value, "+") {
		value = app.FormatPhone(value)
	}
	data := map[string]any{"Field": label, "Value": value, "Owner": owner}
	switch fe.Reason {
	case app.ReasonRequired:
		if fe.Field == app.FieldFirstName {
			return tr("error.name_or_phone", "Enter a name or a phone number")
		}
		return tr("error.required", "{{.Field}}: required", data)
	case app.ReasonTooLong:
		return tr("error.too_long", "{{.Field}}: too long", data)
	case app.ReasonBadPhone:
		return tr("error.bad_phone", "{{.Field}}: «{{.Value}}» is not a phone number, e.g. +7 916 123-45-67", data)
	case app.ReasonBadEmail:
		return tr("error.bad_email", "{{.Field}}: «{{.Value}}» is not an e-mail address, e.g. anna@example.ru", data)
	case app.ReasonBadDate:
		if fe.Field == app.FieldBirthday {
			return tr("error.bad_day", "{{.Field}}: «{{.Value}}» is not a day of the year; use DD.MM", data)
		}
		return tr("error.bad_date", "{{.Field}}: «{{.Value}}» is not a date; use DD.MM.YYYY", data)
	case app.ReasonFutureDate:
		return tr("error.future_date", "{{.Field}}: {{.Value}} is in the future", data)
	case app.ReasonTooOld:
		if fe.Field == app.FieldAge {
			return tr("error.age_too_old", "{{.Field}}: too many years", data)
		}
		return tr("error.too_old", "{{.Field}}: {{.Value}} is too long ago", data)
	case app.ReasonTaken:
		if owner != "" {
			return tr("page.error.taken_by", "{{.Field}}: «{{.Value}}» already belongs to {{.Owner}}", data)
		}
		switch fe.Field {
		case app.FieldPhone, app.FieldEmail, app.FieldExternalID, app.FieldIdentifier, app.FieldCard, app.FieldValue:
			return tr("error.taken", "{{.Field}}: «{{.Value}}» already belongs to another client", data)
		}
		// A name or SKU of a product, gift, program or user.
		return tr("error.in_use", "{{.Field}}: «{{.Value}}» is already in use", data)
	case app.ReasonBadRegion:
		return tr("error.bad_region", "{{.Field}}: «{{.Value}}» is not a region code such as RU, KZ or BY", data)
	case app.ReasonPhoneMethod:
		return tr("error.phone_method", "This phone method follows the client's phone: clear the phone instead")
	case app.ReasonNegative:
		return tr("error.negative", "{{.Field}}: cannot be below zero", data)
	case app.ReasonBadRange:
		return tr("error.bad_range", "{{.Field}}: «from» is greater than «to»", data)
	case app.ReasonBadLink:
		return tr("error.bad_link", "{{.Field}}: «{{.Value}}» is not a link, e.g. https://vk.com/id1 or @name", data)
	case app.ReasonSelf:
		return tr("error.self", "{{.Field}}: a client cannot refer themselves", data)
	case app.ReasonCycle:
		return tr("error.cycle", "{{.Field}}: the referrals would go round in a circle", data)
	case app.ReasonNotFound:
		return tr("error.field_not_found", "{{.Field}}: not found; it may have been deleted", data)
	case app.ReasonDuplicate:
		return tr("error.duplicate", "{{.Field}}: «{{.Value}}» is repeated", data)
	case app.ReasonUnknownField:
		return tr("error.unknown_field", "{{.Field}}: «{{.Value}}» is unknown", data)
	case app.ReasonTooShort:
		return tr("error.too_short", "{{.Field}}: too short (at least 4 characters)", data)
	case app.ReasonFirstOwner:
		return tr("error.first_owner", "The first user must be an owner: their password becomes the administrator password")
	case app.ReasonLastOwner:
		return tr("error.last_owner", "The last owner can be neither demoted nor disabled")
	case app.ReasonNotPositive:
		return tr("error.not_positive", "{{.Field}}: must be above zero", data)
	case app.ReasonInsufficient:
		return tr("error.insufficient", "{{.Field}}: not enough points available ({{.Value}} asked)", data)
	case app.ReasonOverCap:
		return tr("error.over_cap", "{{.Field}}: {{.Value}} is more than this order may be paid with", data)
	case app.ReasonMismatch:
		return tr("error.mismatch", "{{.Field}}: «{{.Value}}» is already used by a different purchase", data)
	case app.ReasonTooMany:
		return tr("error.too_many", "{{.Field}}: more than is left to refund", data)
	case app.ReasonBlocked:
		return tr("error.blocked", "{{.Field}}: the client is blocked", data)
	case app.ReasonNoProgram:
		return tr("error.no_program", "{{.Field}}: no bonus program lets points pay for this guest", data)
	case app.ReasonNoClient:
		return tr("error.no_client", "{{.Field}}: identify the guest first", data)
	case app.ReasonNotRefundable:
		return tr("error.not_refundable", "{{.Field}}: this receipt cannot be refunded", data)
	case app.ReasonInUse:
		return tr("error.in_use_clients", "{{.Field}}: it still has clients ({{.Value}}); move them to another group first", data)
	case reasonNotNumber:
		return tr("error.not_number", "{{.Field}}: «{{.Value}}» is not a whole number", data)
	case reasonNotColour:
		return tr("error.not_colour", "{{.Field}}: «{{.Value}}» is not a colour; use #RRGGBB, e.g. #1E3A5F", data)
	case reasonNotMoney:
		return tr("error.not_money", "{{.Field}}: «{{.Value}}» is not an amount, e.g. 1500 or 1 500,50", data)
	}
	return tr("error.bad_value", "{{.Field}}: invalid value", data)
}

// errorMessage turns any use-case error into a short translated message and
// logs the details. Field errors should be shown by their fields first.
func errorMessage(err error) string {
	if err == nil {
		return ""
	}
	slog.Error("operation failed", "err", err)
	if fes := app.FieldErrors(err); len(fes) > 0 {
		return fieldMessage(fes[0])
	}
	switch {
	case errors.Is(err, app.ErrLocked):
		var le *app.LockedError
		if errors.As(err, &le) {
			return tr("error.locked_until", "Too many wrong passwords: try again after {{.Time}}", map[string]any{"Time": le.Until.Local().Format("15:04:05")})
		}
		return tr("error.locked", "Too many wrong passwords: wait a minute and try again")
	case errors.Is(err, app.ErrBadSecret):
		return tr("error.bad_secret", "Wrong name or password")
	case errors.Is(err, app.ErrNoAdmin):
		return tr("error.no_admin", "No administrator password is set yet: add an owner in Settings → Users")
	case errors.Is(err, app.ErrDenied):
		return tr("error.denied", "Not allowed: this needs the administrator password or another role")
	case errors.Is(err, app.ErrForgedCode):
		return tr("error.forged_code", "The card code failed its check: a typo or a forgery")
	case errors.Is(err, app.ErrRevokedCode):
		return tr("error.revoked_code", "This card has been re-issued: its old code no longer works")
	case errors.Is(err, app.ErrBlocked):
		return tr("error.client_blocked", "This client is blocked: no identification, no points")
	case errors.Is(err, app.ErrNotFound):
		return tr("error.not_found", "Not found: it may have been deleted")
	case errors.Is(err, app.ErrConflict):
		return tr("error.conflict", "Someone else changed this at the same time; try again")
	case errors.Is(err, app.ErrInvalid):
		return tr("error.invalid", "The data is not valid")
	}
	return tr("error.internal", "Something went wrong; the details are in the log")
}
