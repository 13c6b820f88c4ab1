package ui

import (
	"errors"
	"log/slog"

	"loyaltydesk/app"
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
	}
	return field
}

// fieldMessage turns a field error into a short translated sentence that names
// the field and says what to do.
func fieldMessage(fe app.FieldError) string {
	data := map[string]any{"Field": fieldLabel(fe.Field), "Value": fe.Value}
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
		return tr("error.bad_date", "{{.Field}}: «{{.Value}}» is not a date; use DD.MM.YYYY", data)
	case app.ReasonFutureDate:
		return tr("error.future_date", "{{.Field}}: {{.Value}} is in the future", data)
	case app.ReasonTooOld:
		return tr("error.too_old", "{{.Field}}: {{.Value}} is too long ago", data)
	case app.ReasonTaken:
		return tr("error.taken", "{{.Field}}: «{{.Value}}» already belongs to another client", data)
	case app.ReasonBadRegion:
		return tr("error.bad_region", "{{.Field}}: «{{.Value}}» is not a region code such as RU, KZ or BY", data)
	case app.ReasonPhoneMethod:
		return tr("error.phone_method", "This phone method follows the client's phone: clear the phone instead")
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
