package app

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel error kinds. Use errors.Is to test for them; use cases wrap them with context.
var (
	// ErrNotFound means the record asked for does not exist (or was deleted).
	ErrNotFound = errors.New("not found")
	// ErrInvalid means the input failed validation; a *ValidationError carries the fields.
	ErrInvalid = errors.New("invalid input")
	// ErrConflict means the write clashes with existing data (a unique value taken).
	ErrConflict = errors.New("conflict")
	// ErrNotLoyaltyDesk means a file offered as a database (a backup to
	// restore) is not an intact LoyaltyDesk database.
	ErrNotLoyaltyDesk = errors.New("not a LoyaltyDesk database")
	// ErrSchemaTooNew means a database was written by a newer LoyaltyDesk.
	ErrSchemaTooNew = errors.New("database schema is newer than this program")
)

// Field names used in FieldError. The UI maps them to the widgets that show the error.
const (
	FieldFirstName  = "first_name"
	FieldLastName   = "last_name"
	FieldPatronymic = "patronymic"
	FieldPhone      = "phone"
	FieldEmail      = "email"
	FieldGender     = "gender"
	FieldBirthDate  = "birth_date"
	FieldExternalID = "external_id"
	FieldNote       = "note"
	FieldIdentifier = "identifier"
	FieldMedia      = "media"
	FieldInput      = "input"
	FieldRegion     = "phone_region"
	FieldAge        = "age"
	FieldVisits     = "visits"
	FieldSold       = "sold"
	FieldPaid       = "paid"
	FieldLastVisit  = "last_visit"
	FieldBirthday   = "birthday"
	FieldFilter     = "filter"
	FieldName       = "name"  // of a tag, segment or variable
	FieldValue      = "value" // of a contact or variable
	FieldContact    = "contact"
	FieldTag        = "tag"
	FieldGroup      = "group"
	FieldReferrer   = "referrer"
	FieldReason     = "block_reason"
	FieldColumn     = "column" // of an import file

	// The money side (issue 5).
	FieldUserName    = "user_name"
	FieldRole        = "role"
	FieldSecret      = "secret" // a PIN or password
	FieldAmount      = "amount"
	FieldPoints      = "points" // a gift's price in points
	FieldNumber      = "number" // a purchase number
	FieldQuantity    = "quantity"
	FieldPrice       = "price"
	FieldProduct     = "product"
	FieldProductCat  = "product_category"
	FieldSKU         = "sku"
	FieldAccountType = "account_type"
	FieldOpReason    = "reason" // why a manual operation was done
	FieldMessage     = "message"
	FieldBonusPay    = "bonus_pay"
	FieldDiscount    = "discount"
	FieldMinOrder    = "min_order"
	FieldReward      = "reward"
	FieldPayShare    = "pay_share"
	FieldMinBalance  = "min_balance"
	FieldActiveDates = "active_dates"
	FieldWeekdays    = "weekdays"
	FieldHours       = "hours"
	FieldLine        = "line"
	FieldClient      = "client"
	FieldGift        = "gift"
	FieldExpiryDays  = "expiry_days"
	FieldPurchase    = "purchase"
	FieldOpeningBal  = "opening_balance"
	FieldSpendFrom   = "spend_from" // a group's band of spend
	FieldSpendTo     = "spend_to"
)

// Reason codes of a FieldError. The UI translates them; they are stable identifiers.
const (
	ReasonRequired     = "required"
	ReasonTooLong      = "too_long"
	ReasonBadPhone     = "bad_phone"
	ReasonBadEmail     = "bad_email"
	ReasonBadDate      = "bad_date"
	ReasonFutureDate   = "future_date"
	ReasonTooOld       = "too_old"
	ReasonTaken        = "taken"
	ReasonBadValue     = "bad_value"
	ReasonBadRegion    = "bad_region"
	ReasonPhoneMethod  = "phone_method"
	ReasonNegative     = "negative"
	ReasonBadRange     = "bad_range" // from is after to
	ReasonBadLink      = "bad_link"  // a social link that is not a web address
	ReasonSelf         = "self"      // a client cannot refer itself
	ReasonCycle        = "cycle"     // referrals would go round in a circle
	ReasonNotFound     = "not_found" // the referenced record does not exist
	ReasonDuplicate    = "duplicate" // the same value twice in one import
	ReasonUnknownField = "unknown_field"

	ReasonTooShort      = "too_short"
	ReasonFirstOwner    = "first_owner"  // the first user must be an owner
	ReasonLastOwner     = "last_owner"   // the last owner cannot be demoted or disabled
	ReasonNotPositive   = "not_positive" // must be above zero
	ReasonInsufficient  = "insufficient" // not enough points available
	ReasonOverCap       = "over_cap"     // more points than the order may be paid with
	ReasonMismatch      = "mismatch"     // a purchase number reused with different content
	ReasonTooMany       = "too_many"     // refunding more than is left to refund
	ReasonBlocked       = "blocked"      // the client is blocked
	ReasonNoProgram     = "no_program"   // points cannot pay: no program allows it
	ReasonNoClient      = "no_client"    // points need an identified guest
	ReasonNotRefundable = "not_refundable"
	ReasonInUse         = "in_use" // a group still has clients (Value: how many)
)

// FieldError says why one field of an input is wrong.
type FieldError struct {
	Field  string // one of the Field* constants
	Reason string // one of the Reason* constants
	Value  string // the offending value, for messages and logs
	// OwnerID is the client that already holds a value, for ReasonTaken.
	OwnerID string
	// Item names the row of a list input the error is about (a rule's id).
	Item string
}

func (e FieldError) Error() string {
	if e.Value != "" {
		return fmt.Sprintf("%s: %s (%q)", e.Field, e.Reason, e.Value)
	}
	return e.Field + ": " + e.Reason
}

// ValidationError lists every field that failed. It matches ErrInvalid, or
// ErrConflict when a field failed only because its value is taken.
type ValidationError struct {
	Fields []FieldError
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Error()
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// Is reports the error kind: ErrConflict if every field is "taken", else ErrInvalid.
func (e *ValidationError) Is(target error) bool {
	switch target {
	case ErrInvalid:
		return true
	case ErrConflict:
		for _, f := range e.Fields {
			if f.Reason != ReasonTaken {
				return false
			}
		}
		return len(e.Fields) > 0
	}
	return false
}

// Field returns the first error for the named field, if any.
func (e *ValidationError) Field(name string) (FieldError, bool) {
	for _, f := range e.Fields {
		if f.Field == name {
			return f, true
		}
	}
	return FieldError{}, false
}

// validation collects field errors while a use case checks its input.
type validation struct{ fields []FieldError }

func (v *validation) add(field, reason, value string) {
	v.fields = append(v.fields, FieldError{Field: field, Reason: reason, Value: value})
}

func (v *validation) addErr(fe FieldError) { v.fields = append(v.fields, fe) }

func (v *validation) err() error {
	if len(v.fields) == 0 {
		return nil
	}
	return &ValidationError{Fields: v.fields}
}

// FieldErrors returns the field errors inside err (nil if it carries none).
func FieldErrors(err error) []FieldError {
	var ve *ValidationError
	if errors.As(err, &ve) {
		return ve.Fields
	}
	return nil
}
