package app

import (
	"time"
)

// Gender of a client. The zero value means not stated.
type Gender string

// Genders.
const (
	GenderUnknown Gender = ""
	GenderMale    Gender = "male"
	GenderFemale  Gender = "female"
)

// Valid reports whether g is one of the known genders.
func (g Gender) Valid() bool {
	return g == GenderUnknown || g == GenderMale || g == GenderFemale
}

// Client is a guest of the venue (CL-01).
type Client struct {
	ID         string
	FirstName  string
	LastName   string
	Patronymic string
	Phone      string // E.164, e.g. +79161234567; empty if none
	Email      string // lower case; empty if none
	Gender     Gender
	BirthDate  Date   // zero if unknown
	ExternalID string // the client's id in a POS or website
	Note       string

	GroupID         string // client group (GR-01); empty if none
	ClassID         string // importance class (GR-05); empty if none
	StatusID        string // status (GR-04); empty if none
	DiscountBP      int64  // personal discount in basis points (1000 = 10 %), set by rules
	Blocked         bool   // CL-08
	BlockReason     string
	Favorite        bool // CL-07
	SMSSubscribed   bool // CL-11
	EmailSubscribed bool
	ReferrerID      string // CL-19: who brought this client

	// Stats are the client's totals, derived from purchases (CL-16).
	Stats ClientStats

	CreatedAt time.Time
	UpdatedAt time.Time
	NodeID    string // the installation that last wrote the row

	// The rest is filled by Clients.Get only; lists and searches leave it empty.

	// Identifiers are the client's identification methods (CL-03).
	Identifiers []Identifier
	Contacts    []Contact  // CL-02: further phones, e-mails, social links
	Variables   []Variable // CL-10, by name
	Tags        []Tag      // CL-09, by name
	CategoryIDs []string   // GR-06
	Referred    int        // CL-19: how many clients this one brought
}

// ClientStats are a client's totals over purchases. Amounts are in kopecks;
// a client who never came has zero visits and zero times.
type ClientStats struct {
	Visits     int64
	Sold       int64
	Paid       int64
	FirstVisit time.Time
	LastVisit  time.Time
}

// AverageCheck returns sold divided by visits, in kopecks, or 0 without visits.
func (s ClientStats) AverageCheck() int64 {
	if s.Visits == 0 {
		return 0
	}
	return s.Sold / s.Visits
}

// ContactKind is the kind of a further contact (CL-02).
type ContactKind string

// Contact kinds.
const (
	ContactPhone  ContactKind = "phone"
	ContactEmail  ContactKind = "email"
	ContactSocial ContactKind = "social" // a link to a social profile
)

// AllContactKinds lists the contact kinds in display order.
var AllContactKinds = []ContactKind{ContactPhone, ContactEmail, ContactSocial}

// Contact is a further phone, e-mail or social link of a client (CL-02).
type Contact struct {
	ID        string
	ClientID  string
	Kind      ContactKind
	Value     string // phones E.164, e-mails lower case, links as typed
	Label     string // "work", "Telegram", …
	CreatedAt time.Time
	UpdatedAt time.Time
	NodeID    string
}

// ContactInput is a contact as typed.
type ContactInput struct {
	Kind  ContactKind
	Value string
	Label string
}

// Variable is a custom name → value pair on a client (CL-10).
type Variable struct {
	ID        string
	ClientID  string
	Name      string
	Value     string
	CreatedAt time.Time
	UpdatedAt time.Time
	NodeID    string
}

// Tag is a label set by hand on clients (CL-09).
type Tag struct {
	ID        string
	Name      string
	CreatedAt time.Time
	UpdatedAt time.Time
	NodeID    string
}

// Ref is the id and name of a group, class, status or client category, for
// selectors and list columns.
type Ref struct {
	ID   string
	Name string
}

// Directory holds the names of everything a client row points at, for showing
// the list's columns and filling selectors.
type Directory struct {
	Groups     []Ref
	Classes    []Ref
	Statuses   []Ref
	Categories []Ref
	Tags       []Ref
	// Variables lists every variable name in use, sorted.
	Variables []string
}

// Name returns the name of id among refs, or "".
func NameOf(refs []Ref, id string) string {
	for _, r := range refs {
		if r.ID == id {
			return r.Name
		}
	}
	return ""
}

// Extras are what a list row shows beyond the client's own columns: its tag
// names, category ids and variables.
type Extras struct {
	Tags        []string
	CategoryIDs []string
	Variables   map[string]string
}

// FullName returns "Last First Patronymic" with empty parts left out.
func (c Client) FullName() string {
	return joinNonEmpty(" ", c.LastName, c.FirstName, c.Patronymic)
}

// DisplayName returns the full name, or the phone, e-mail or external id when
// the client has no name.
func (c Client) DisplayName() string {
	if n := c.FullName(); n != "" {
		return n
	}
	return joinNonEmpty("", firstNonEmpty(c.Phone, c.Email, c.ExternalID))
}

// ClientInput is what a person may type into the client dialog (CL-01). Strings
// are taken as typed; the use case trims, normalises and validates them.
type ClientInput struct {
	FirstName  string
	LastName   string
	Patronymic string
	Phone      string
	Email      string
	Gender     Gender
	// BirthDate accepts DD.MM.YYYY, D.M.YYYY or YYYY-MM-DD; empty means unknown.
	BirthDate  string
	ExternalID string
	Note       string
}

// InputOf returns the input that reproduces c, for prefilling an edit dialog.
func InputOf(c Client) ClientInput {
	in := ClientInput{
		FirstName:  c.FirstName,
		LastName:   c.LastName,
		Patronymic: c.Patronymic,
		Phone:      c.Phone,
		Email:      c.Email,
		Gender:     c.Gender,
		ExternalID: c.ExternalID,
		Note:       c.Note,
	}
	if !c.BirthDate.IsZero() {
		in.BirthDate = c.BirthDate.Format()
	}
	return in
}

// Media is what carries an identifier (CL-03).
type Media string

// Media kinds.
const (
	MediaGuestApp Media = "guest_app" // the guest app's QR code
	MediaCard     Media = "card"
	MediaPhone    Media = "phone"
)

// Input is how an identifier is read (CL-03).
type Input string

// Input kinds.
const (
	InputQR        Input = "qr"
	InputBarcode   Input = "barcode"
	InputMagstripe Input = "magstripe"
	InputRFID      Input = "rfid"
	InputPhone     Input = "phone"
)

// AllMedia lists the media kinds in display order.
var AllMedia = []Media{MediaGuestApp, MediaCard, MediaPhone}

// AllInputs lists the input kinds in display order.
var AllInputs = []Input{InputQR, InputBarcode, InputMagstripe, InputRFID, InputPhone}

// Identifier is one identification method of a client: media × input × value.
// A value identifies at most one client.
type Identifier struct {
	ID        string
	ClientID  string
	Media     Media
	Input     Input
	Value     string
	CreatedAt time.Time
	UpdatedAt time.Time
	NodeID    string
}

// IdentifierInput is a new identification method as typed.
type IdentifierInput struct {
	Media Media
	Input Input
	Value string
}

// ClientQuery selects a page of clients for the list (CL-12, CL-13).
type ClientQuery struct {
	// Text searches names, phone (whole or a fragment of digits), e-mail,
	// identifier values and the external id. Empty lists everyone.
	Text string
	// Filter narrows the list (CL-14).
	Filter ClientFilter
	// Sort orders the list; the default is by name. A text search is listed
	// in the order Clients.Search describes unless Sort is set.
	Sort SortKey
	Desc bool
	// IDs, when not nil, limits the query to these clients (a checked set).
	IDs    []string
	Offset int
	Limit  int
}

// SearchKeys is the normalised form of a ClientQuery.Text that stores match
// against; see NormalizeSearch.
type SearchKeys struct {
	Raw    string // trimmed as typed: identifier values and external ids
	Name   string // folded name prefix (lower case, ё→е, single spaces)
	Email  string // lower-case e-mail prefix
	Phone  string // E.164 prefix ("+7916…"), if the text is digits
	Digits string // the digits, reversed, for a suffix match ("4567" finds …4567)
}

// IsEmpty reports whether nothing was typed.
func (k SearchKeys) IsEmpty() bool { return k.Raw == "" }

// AuditEntry is one line of the audit log (AD-02).
type AuditEntry struct {
	ID       string
	At       time.Time
	NodeID   string
	Actor    string
	Action   string // e.g. "client.create"
	Entity   string // e.g. "client"
	EntityID string
	Details  string // JSON
}
