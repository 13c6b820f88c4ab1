package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
)

// Length limits of client fields, in characters.
const (
	maxNameLen  = 100
	maxEmailLen = 254
	maxExtIDLen = 100
	maxNoteLen  = 4000
	maxValueLen = 200
	maxAgeYears = 120
)

// Clients holds the client use cases: create, edit, look up and search
// (CL-01, CL-03, CL-13).
type Clients struct {
	store Store
	clock Clock
}

// NewClients returns the client use cases over store, telling time by clock.
func NewClients(store Store, clock Clock) *Clients {
	return &Clients{store: store, clock: clock}
}

// Get returns the client with its identifiers.
func (s *Clients) Get(ctx context.Context, id string) (Client, error) {
	c, err := s.store.Client(ctx, id)
	if err != nil {
		return Client{}, fmt.Errorf("get client %s: %w", id, err)
	}
	return c, nil
}

// Create validates in and stores a new client. A phone adds the phone
// identification method (CL-03). Field problems come back as a *ValidationError.
func (s *Clients) Create(ctx context.Context, in ClientInput) (Client, error) {
	region, err := phoneRegion(ctx, s.store)
	if err != nil {
		return Client{}, err
	}
	now := s.clock.Now()
	c, err := clean(in, region, now)
	if err != nil {
		return Client{}, withTaken(ctx, s.store, c, err)
	}
	node := s.store.NodeID()
	c.ID = NewID()
	c.CreatedAt, c.UpdatedAt, c.NodeID = now, now, node
	err = s.store.Update(ctx, func(tx Tx) error {
		if err := checkTaken(ctx, tx, c); err != nil {
			return err
		}
		if err := tx.InsertClient(ctx, c); err != nil {
			return err
		}
		if c.Phone != "" {
			pid := phoneIdentifier(c, now, node)
			if err := tx.InsertIdentifier(ctx, pid); err != nil {
				return err
			}
			c.Identifiers = append(c.Identifiers, pid)
		}
		return tx.AppendAudit(ctx, s.audit(ctx, now, "client.create", c.ID, clientDetails(c)))
	})
	if err != nil {
		return Client{}, fmt.Errorf("create client: %w", err)
	}
	return c, nil
}

// Update validates in and replaces the editable fields of client id. A changed
// phone moves the phone identification method with it; a cleared phone removes it.
func (s *Clients) Update(ctx context.Context, id string, in ClientInput) (Client, error) {
	region, err := phoneRegion(ctx, s.store)
	if err != nil {
		return Client{}, err
	}
	now := s.clock.Now()
	upd, err := clean(in, region, now)
	if err != nil {
		upd.ID = id
		return Client{}, withTaken(ctx, s.store, upd, err)
	}
	node := s.store.NodeID()
	var out Client
	err = s.store.Update(ctx, func(tx Tx) error {
		old, err := tx.Client(ctx, id)
		if err != nil {
			return err
		}
		c := old
		c.FirstName, c.LastName, c.Patronymic = upd.FirstName, upd.LastName, upd.Patronymic
		c.Phone, c.Email, c.Gender, c.BirthDate = upd.Phone, upd.Email, upd.Gender, upd.BirthDate
		c.ExternalID, c.Note = upd.ExternalID, upd.Note
		c.UpdatedAt, c.NodeID = now, node
		if err := checkTaken(ctx, tx, c); err != nil {
			return err
		}
		if err := tx.UpdateClient(ctx, c); err != nil {
			return err
		}
		if c.Phone != old.Phone {
			if err := syncPhoneMethod(ctx, tx, &c, old.Phone, now, node); err != nil {
				return err
			}
		}
		out = c
		return tx.AppendAudit(ctx, s.audit(ctx, now, "client.update", c.ID, clientDetails(c)))
	})
	if err != nil {
		return Client{}, fmt.Errorf("update client %s: %w", id, err)
	}
	return out, nil
}

// Delete soft-deletes a client: it leaves lists and frees its identifiers, but
// rows that point at it (purchases, ledger) stay intact.
func (s *Clients) Delete(ctx context.Context, id string) error {
	now := s.clock.Now()
	node := s.store.NodeID()
	err := s.store.Update(ctx, func(tx Tx) error {
		c, err := tx.Client(ctx, id)
		if err != nil {
			return err
		}
		if err := tx.DeleteClient(ctx, id, now, node); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.audit(ctx, now, "client.delete", id, clientDetails(c)))
	})
	if err != nil {
		return fmt.Errorf("delete client %s: %w", id, err)
	}
	return nil
}

// AddIdentifier adds an identification method to a client (CL-03). The value
// must not identify another client.
func (s *Clients) AddIdentifier(ctx context.Context, clientID string, in IdentifierInput) (Identifier, error) {
	region, err := phoneRegion(ctx, s.store)
	if err != nil {
		return Identifier{}, err
	}
	idf, err := cleanIdentifier(in, region)
	if err != nil {
		return Identifier{}, err
	}
	now := s.clock.Now()
	node := s.store.NodeID()
	idf.ID, idf.ClientID = NewID(), clientID
	idf.CreatedAt, idf.UpdatedAt, idf.NodeID = now, now, node
	err = s.store.Update(ctx, func(tx Tx) error {
		if _, err := tx.Client(ctx, clientID); err != nil {
			return err
		}
		if err := valueFree(ctx, tx, FieldIdentifier, idf.Value, clientID); err != nil {
			return err
		}
		if err := tx.InsertIdentifier(ctx, idf); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.audit(ctx, now, "client.identifier.add", clientID,
			jsonObject("media", string(idf.Media), "input", string(idf.Input), "value", idf.Value)))
	})
	if err != nil {
		return Identifier{}, fmt.Errorf("add identifier to client %s: %w", clientID, err)
	}
	return idf, nil
}

// RemoveIdentifier removes an identification method. The phone method that
// mirrors the client's phone goes only by clearing the phone.
func (s *Clients) RemoveIdentifier(ctx context.Context, clientID, identifierID string) error {
	now := s.clock.Now()
	node := s.store.NodeID()
	err := s.store.Update(ctx, func(tx Tx) error {
		c, err := tx.Client(ctx, clientID)
		if err != nil {
			return err
		}
		for _, idf := range c.Identifiers {
			if idf.ID != identifierID {
				continue
			}
			// Whatever carries it, the value equal to the phone is what keeps the
			// phone identifying the client (CL-03): it goes only with the phone.
			if idf.Value == c.Phone {
				return &ValidationError{Fields: []FieldError{{Field: FieldIdentifier, Reason: ReasonPhoneMethod, Value: idf.Value}}}
			}
			if err := tx.DeleteIdentifier(ctx, idf.ID, now, node); err != nil {
				return err
			}
			return tx.AppendAudit(ctx, s.audit(ctx, now, "client.identifier.remove", clientID,
				jsonObject("media", string(idf.Media), "input", string(idf.Input), "value", idf.Value)))
		}
		return fmt.Errorf("identifier %s: %w", identifierID, ErrNotFound)
	})
	if err != nil {
		return fmt.Errorf("remove identifier from client %s: %w", clientID, err)
	}
	return nil
}

// Lookup finds the client identified by a scanned or typed value (CL-13): any
// identifier value exactly, or a phone number typed in any common form.
// It returns ErrNotFound when nobody has it.
func (s *Clients) Lookup(ctx context.Context, value string) (Client, error) {
	value = strings.TrimSpace(value)
	if value == "" {
		return Client{}, fmt.Errorf("look up client: empty value: %w", ErrNotFound)
	}
	idf, err := s.store.IdentifierByValue(ctx, value)
	if errors.Is(err, ErrNotFound) && looksLikePhone(value) {
		region, rerr := phoneRegion(ctx, s.store)
		if rerr != nil {
			return Client{}, rerr
		}
		if phone, perr := NormalizePhone(value, region); perr == nil && phone != value {
			idf, err = s.store.IdentifierByValue(ctx, phone)
		}
	}
	if err != nil {
		return Client{}, fmt.Errorf("look up client by %q: %w", value, err)
	}
	return s.Get(ctx, idf.ClientID)
}

// Search returns a page of clients matching q (CL-12, CL-13, CL-14). With no
// text it lists everyone by q.Sort (by name by default); a search lists first
// those whose surname starts with the text, then those whose first name does,
// then the matches by e-mail, phone, identifier or external id, each group by
// name, unless q.Sort asks for another order.
func (s *Clients) Search(ctx context.Context, q ClientQuery) ([]Client, error) {
	sel, err := s.selection(ctx, q)
	if err != nil {
		return nil, err
	}
	limit := q.Limit
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	offset := max(q.Offset, 0)
	cs, err := s.store.SearchClients(ctx, sel, offset, limit)
	if err != nil {
		return nil, fmt.Errorf("search clients: %w", err)
	}
	return cs, nil
}

// Count returns how many clients match q.
func (s *Clients) Count(ctx context.Context, q ClientQuery) (int, error) {
	sel, err := s.selection(ctx, q)
	if err != nil {
		return 0, err
	}
	n, err := s.store.CountClients(ctx, sel)
	if err != nil {
		return 0, fmt.Errorf("count clients: %w", err)
	}
	return n, nil
}

// selection validates q and resolves it for the store.
func (s *Clients) selection(ctx context.Context, q ClientQuery) (ClientSelect, error) {
	if err := q.Filter.Validate(); err != nil {
		return ClientSelect{}, err
	}
	if !oneOf(q.Sort, SortKeys) {
		return ClientSelect{}, &ValidationError{Fields: []FieldError{{Field: FieldFilter, Reason: ReasonBadValue, Value: string(q.Sort)}}}
	}
	keys, err := s.keys(ctx, q.Text)
	if err != nil {
		return ClientSelect{}, err
	}
	return ClientSelect{
		Keys: keys, Filter: q.Filter, Today: DateOf(s.clock.Now()),
		Sort: q.Sort, Desc: q.Desc, IDs: q.IDs,
	}, nil
}

func (s *Clients) keys(ctx context.Context, text string) (SearchKeys, error) {
	region, err := phoneRegion(ctx, s.store)
	if err != nil {
		return SearchKeys{}, err
	}
	return NormalizeSearch(text, region), nil
}

// NormalizeSearch turns a search box's text into the keys stores match against.
func NormalizeSearch(text, region string) SearchKeys {
	raw := cleanText(text)
	k := SearchKeys{Raw: raw}
	if raw == "" {
		return k
	}
	k.Name = FoldName(raw)
	k.Email = strings.ToLower(raw)
	if looksLikePhone(raw) {
		digits := onlyDigits(raw)
		if len(digits) >= 3 {
			k.Digits = reverse(digits)
		}
		if phone, err := NormalizePhone(raw, region); err == nil {
			k.Phone = phone
		} else if len(digits) >= 3 {
			k.Phone = PhonePrefix(raw, region)
		}
	}
	return k
}

func reverse(s string) string {
	b := []byte(s)
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}

func (s *Clients) audit(ctx context.Context, at time.Time, action, clientID, details string) AuditEntry {
	return AuditEntry{
		ID: NewID(), At: at, NodeID: s.store.NodeID(), Actor: ActorOf(ctx),
		Action: action, Entity: "client", EntityID: clientID, Details: details,
	}
}

// clean validates and normalises a ClientInput into the fields of a Client.
func clean(in ClientInput, region string, now time.Time) (Client, error) {
	var v validation
	c := Client{
		FirstName:  cleanText(in.FirstName),
		LastName:   cleanText(in.LastName),
		Patronymic: cleanText(in.Patronymic),
		Gender:     in.Gender,
		ExternalID: strings.TrimSpace(in.ExternalID),
		Note:       strings.TrimSpace(in.Note),
	}
	for _, f := range []struct{ name, val string }{
		{FieldFirstName, c.FirstName}, {FieldLastName, c.LastName}, {FieldPatronymic, c.Patronymic},
	} {
		if tooLong(f.val, maxNameLen) {
			v.add(f.name, ReasonTooLong, f.val)
		}
	}
	phone, err := NormalizePhone(in.Phone, region)
	if err != nil {
		v.add(FieldPhone, ReasonBadPhone, strings.TrimSpace(in.Phone))
	}
	c.Phone = phone
	if c.FirstName == "" && c.LastName == "" && strings.TrimSpace(in.Phone) == "" {
		v.add(FieldFirstName, ReasonRequired, "")
	}
	if email, ok := cleanEmail(in.Email); ok {
		c.Email = email
	} else {
		v.add(FieldEmail, ReasonBadEmail, strings.TrimSpace(in.Email))
	}
	if !c.Gender.Valid() {
		v.add(FieldGender, ReasonBadValue, string(c.Gender))
	}
	if bd, err := ParseDate(in.BirthDate); err != nil {
		v.add(FieldBirthDate, ReasonBadDate, strings.TrimSpace(in.BirthDate))
	} else if !bd.IsZero() {
		today := DateOf(now)
		switch {
		case today.Before(bd):
			v.add(FieldBirthDate, ReasonFutureDate, bd.Format())
		case bd.Year < today.Year-maxAgeYears:
			v.add(FieldBirthDate, ReasonTooOld, bd.Format())
		default:
			c.BirthDate = bd
		}
	}
	if tooLong(c.ExternalID, maxExtIDLen) {
		v.add(FieldExternalID, ReasonTooLong, c.ExternalID)
	}
	if tooLong(c.Note, maxNoteLen) {
		v.add(FieldNote, ReasonTooLong, "")
	}
	return c, v.err()
}

// cleanEmail lower-cases and checks an e-mail address; "" is fine (none).
func cleanEmail(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", true
	}
	if tooLong(s, maxEmailLen) || strings.ContainsAny(s, " <>,;\"") {
		return "", false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s {
		return "", false
	}
	at := strings.LastIndexByte(s, '@')
	labels := strings.Split(s[at+1:], ".")
	if at < 1 || len(labels) < 2 {
		return "", false
	}
	for _, l := range labels {
		if l == "" || strings.HasPrefix(l, "-") || strings.HasSuffix(l, "-") {
			return "", false
		}
	}
	return strings.ToLower(s), true
}

func cleanIdentifier(in IdentifierInput, region string) (Identifier, error) {
	var v validation
	idf := Identifier{Media: in.Media, Input: in.Input, Value: strings.TrimSpace(in.Value)}
	if !oneOf(idf.Media, AllMedia) {
		v.add(FieldMedia, ReasonBadValue, string(idf.Media))
	}
	if !oneOf(idf.Input, AllInputs) {
		v.add(FieldInput, ReasonBadValue, string(idf.Input))
	}
	// A phone is read as a phone number and nothing else is.
	if (idf.Media == MediaPhone) != (idf.Input == InputPhone) && oneOf(idf.Media, AllMedia) && oneOf(idf.Input, AllInputs) {
		v.add(FieldInput, ReasonBadValue, string(idf.Input))
	}
	switch {
	case idf.Value == "":
		v.add(FieldIdentifier, ReasonRequired, "")
	case tooLong(idf.Value, maxValueLen):
		v.add(FieldIdentifier, ReasonTooLong, "")
	case idf.Input == InputPhone:
		p, err := NormalizePhone(idf.Value, region)
		if err != nil {
			v.add(FieldIdentifier, ReasonBadPhone, idf.Value)
		}
		idf.Value = p
	}
	return idf, v.err()
}

func oneOf[T comparable](x T, all []T) bool {
	for _, a := range all {
		if a == x {
			return true
		}
	}
	return false
}

// withTaken adds to a validation error the values of c that another client
// already holds, so the person sees every problem at once.
func withTaken(ctx context.Context, r ClientReader, c Client, err error) error {
	var ve *ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	terr := checkTaken(ctx, r, c)
	for _, fe := range FieldErrors(terr) {
		if _, dup := ve.Field(fe.Field); !dup {
			ve.Fields = append(ve.Fields, fe)
		}
	}
	return ve
}

// checkTaken refuses a phone or external id that already belongs to another client.
func checkTaken(ctx context.Context, tx ClientReader, c Client) error {
	var v validation
	if c.ExternalID != "" {
		owner, err := tx.ClientIDByExternalID(ctx, c.ExternalID)
		switch {
		case err == nil && owner != c.ID:
			v.addErr(FieldError{Field: FieldExternalID, Reason: ReasonTaken, Value: c.ExternalID, OwnerID: owner})
		case err != nil && !errors.Is(err, ErrNotFound):
			return err
		}
	}
	if c.Phone != "" {
		if err := valueFree(ctx, tx, FieldPhone, c.Phone, c.ID); err != nil {
			fes := FieldErrors(err)
			if fes == nil {
				return err
			}
			v.addErr(fes[0])
		}
	}
	return v.err()
}

// valueFree returns a "taken" ValidationError when another client holds value.
func valueFree(ctx context.Context, tx ClientReader, field, value, clientID string) error {
	idf, err := tx.IdentifierByValue(ctx, value)
	switch {
	case errors.Is(err, ErrNotFound):
		return nil
	case err != nil:
		return err
	case idf.ClientID == clientID && field == FieldPhone:
		return nil
	}
	return &ValidationError{Fields: []FieldError{{Field: field, Reason: ReasonTaken, Value: value, OwnerID: idf.ClientID}}}
}

// syncPhoneMethod keeps the phone identification method in step with the phone.
func syncPhoneMethod(ctx context.Context, tx Tx, c *Client, oldPhone string, now time.Time, node string) error {
	kept := c.Identifiers[:0:0]
	for _, idf := range c.Identifiers {
		if idf.Media == MediaPhone && idf.Value == oldPhone && oldPhone != "" {
			if err := tx.DeleteIdentifier(ctx, idf.ID, now, node); err != nil {
				return err
			}
			continue
		}
		kept = append(kept, idf)
	}
	c.Identifiers = kept
	if c.Phone == "" {
		return nil
	}
	for _, idf := range c.Identifiers {
		if idf.Value == c.Phone { // already added by hand
			return nil
		}
	}
	pid := phoneIdentifier(*c, now, node)
	if err := tx.InsertIdentifier(ctx, pid); err != nil {
		return err
	}
	c.Identifiers = append(c.Identifiers, pid)
	return nil
}

func phoneIdentifier(c Client, now time.Time, node string) Identifier {
	return Identifier{
		ID: NewID(), ClientID: c.ID, Media: MediaPhone, Input: InputPhone, Value: c.Phone,
		CreatedAt: now, UpdatedAt: now, NodeID: node,
	}
}

func clientDetails(c Client) string {
	return jsonObject("name", c.FullName(), "phone", c.Phone, "email", c.Email)
}

// jsonObject encodes key, value pairs as a JSON object.
func jsonObject(kv ...string) string {
	m := make(map[string]string, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	b, _ := json.Marshal(m)
	return string(b)
}
