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
		return tr("error.taken", "{{.Field}}: «{{.Value}}» already belongs to another client", data)
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
	case reasonNotNumber:
		return tr("error.not_number", "{{.Field}}: «{{.Value}}» is not a whole number", data)
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
	case errors.Is(err, app.ErrNotFound):
		return tr("error.not_found", "Not found: it may have been deleted")
	case errors.Is(err, app.ErrConflict):
		return tr("error.conflict", "Someone else changed this at the same time; try again")
	case errors.Is(err, app.ErrInvalid):
		return tr("error.invalid", "The data is not valid")
	}
	return tr("error.internal", "Something went wrong; the details are in the log")
}
