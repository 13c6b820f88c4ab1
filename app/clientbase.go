package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Length limits of the client base's names and values, in characters.
const (
	maxTagLen     = 60
	maxSegmentLen = 80
	maxVarNameLen = 60
	maxReasonLen  = 500
	maxPasteLines = 100000
)

// Each calls fn for every client matching q (its Offset and Limit are
// ignored), in the list's order, for exports (CL-17).
func (s *Clients) Each(ctx context.Context, q ClientQuery, fn func(Client) error) error {
	sel, err := s.selection(ctx, q)
	if err != nil {
		return err
	}
	if err := s.store.EachClient(ctx, sel, fn); err != nil {
		return fmt.Errorf("list clients: %w", err)
	}
	return nil
}

// Extras returns the tags, categories and variables of a page of clients.
func (s *Clients) Extras(ctx context.Context, ids []string) (map[string]Extras, error) {
	x, err := s.store.ClientExtras(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("read client extras: %w", err)
	}
	return x, nil
}

// Directory returns the groups, classes, statuses, categories, tags and
// variable names for selectors and list columns.
func (s *Clients) Directory(ctx context.Context) (Directory, error) {
	d, err := s.store.Directory(ctx)
	if err != nil {
		return Directory{}, fmt.Errorf("read directory: %w", err)
	}
	return d, nil
}

// Today returns the current calendar day, for the age column.
func (s *Clients) Today() Date { return DateOf(s.clock.Now()) }

// Segments returns the saved segments by name (CL-14).
func (s *Clients) Segments(ctx context.Context) ([]Segment, error) {
	segs, err := s.store.Segments(ctx)
	if err != nil {
		return nil, fmt.Errorf("read segments: %w", err)
	}
	return segs, nil
}

// SaveSegment saves q under name; a segment of that name is replaced.
func (s *Clients) SaveSegment(ctx context.Context, name string, q SegmentQuery) (Segment, error) {
	name = cleanText(name)
	var v validation
	switch {
	case name == "":
		v.add(FieldName, ReasonRequired, "")
	case len([]rune(name)) > maxSegmentLen:
		v.add(FieldName, ReasonTooLong, name)
	}
	if err := q.Filter.Validate(); err != nil {
		return Segment{}, err
	}
	if !oneOf(q.Sort, SortKeys) {
		v.add(FieldFilter, ReasonBadValue, string(q.Sort))
	}
	if err := v.err(); err != nil {
		return Segment{}, err
	}
	now := s.clock.Now()
	node := s.store.NodeID()
	seg := Segment{Name: name, Query: q, UpdatedAt: now, NodeID: node}
	err := s.store.Update(ctx, func(tx Tx) error {
		segs, err := tx.Segments(ctx)
		if err != nil {
			return err
		}
		seg.ID, seg.CreatedAt = NewID(), now
		for _, old := range segs {
			if strings.EqualFold(old.Name, name) {
				seg.ID, seg.CreatedAt = old.ID, old.CreatedAt
			}
		}
		if err := tx.SaveSegment(ctx, seg); err != nil {
			return err
		}
		body, _ := json.Marshal(q)
		return tx.AppendAudit(ctx, AuditEntry{
			ID: NewID(), At: now, NodeID: node, Actor: ActorOf(ctx),
			Action: "segment.save", Entity: "segment", EntityID: seg.ID,
			Details: jsonObject("name", name, "query", string(body)),
		})
	})
	if err != nil {
		return Segment{}, fmt.Errorf("save segment %q: %w", name, err)
	}
	return seg, nil
}

// DeleteSegment removes a saved segment.
func (s *Clients) DeleteSegment(ctx context.Context, id string) error {
	now := s.clock.Now()
	node := s.store.NodeID()
	err := s.store.Update(ctx, func(tx Tx) error {
		if err := tx.DeleteSegment(ctx, id, now, node); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, AuditEntry{
			ID: NewID(), At: now, NodeID: node, Actor: ActorOf(ctx),
			Action: "segment.delete", Entity: "segment", EntityID: id, Details: "{}",
		})
	})
	if err != nil {
		return fmt.Errorf("delete segment %s: %w", id, err)
	}
	return nil
}

// ActionKind is a quick action on many clients (CL-15).
type ActionKind string

// Quick actions.
const (
	ActionAddTag           ActionKind = "add_tag"
	ActionRemoveTag        ActionKind = "remove_tag"
	ActionSetGroup         ActionKind = "set_group"
	ActionFavorite         ActionKind = "favorite"
	ActionUnfavorite       ActionKind = "unfavorite"
	ActionBlock            ActionKind = "block"
	ActionUnblock          ActionKind = "unblock"
	ActionUnsubscribeSMS   ActionKind = "unsubscribe_sms"
	ActionUnsubscribeEmail ActionKind = "unsubscribe_email"
	ActionSubscribeSMS     ActionKind = "subscribe_sms"
	ActionSubscribeEmail   ActionKind = "subscribe_email"
)

// Action is a quick action and its argument.
type Action struct {
	Kind ActionKind
	// Tag names the tag to add (made if missing) or remove.
	Tag string
	// GroupID is the group to move to; "" takes clients out of their group.
	GroupID string
	// Reason is why clients are blocked (CL-08); blocking requires one.
	Reason string
}

// Apply does action to the clients q selects: the checked ones when q.IDs is
// set, else every client matching q's text and filter (CL-09, CL-15). It
// returns how many clients changed; all of them change together or none.
func (s *Clients) Apply(ctx context.Context, q ClientQuery, a Action) (int, error) {
	sel, err := s.selection(ctx, q)
	if err != nil {
		return 0, err
	}
	change, tag, err := actionChange(a)
	if err != nil {
		return 0, err
	}
	now := s.clock.Now()
	node := s.store.NodeID()
	n := 0
	err = s.store.Update(ctx, func(tx Tx) error {
		if a.Kind == ActionSetGroup && a.GroupID != "" {
			if err := refExists(ctx, tx, func(d Directory) []Ref { return d.Groups }, a.GroupID, FieldGroup); err != nil {
				return err
			}
		}
		switch a.Kind {
		case ActionAddTag:
			t, err := ensureTag(ctx, tx, tag, now, node)
			if err != nil {
				return err
			}
			n, err = tx.TagClients(ctx, sel, t.ID, now, node)
			if err != nil {
				return err
			}
		case ActionRemoveTag:
			t, err := tx.TagByName(ctx, tag)
			if errors.Is(err, ErrNotFound) {
				return nil // nobody has a tag that does not exist
			}
			if err != nil {
				return err
			}
			if n, err = tx.UntagClients(ctx, sel, t.ID, now, node); err != nil {
				return err
			}
		default:
			if n, err = tx.UpdateClients(ctx, sel, change, now, node); err != nil {
				return err
			}
		}
		return tx.AppendAudit(ctx, AuditEntry{
			ID: NewID(), At: now, NodeID: node, Actor: ActorOf(ctx),
			Action: "clients." + string(a.Kind), Entity: "client", EntityID: bulkEntity(q),
			Details: bulkDetails(q, a, n),
		})
	})
	if err != nil {
		return 0, fmt.Errorf("%s: %w", a.Kind, err)
	}
	return n, nil
}

// actionChange validates a and returns the column change it makes, or the
// cleaned tag name for tag actions.
func actionChange(a Action) (ClientChange, string, error) {
	t, f := true, false
	var ch ClientChange
	var v validation
	switch a.Kind {
	case ActionAddTag, ActionRemoveTag:
		tag := cleanText(a.Tag)
		switch {
		case tag == "":
			v.add(FieldTag, ReasonRequired, "")
		case len([]rune(tag)) > maxTagLen:
			v.add(FieldTag, ReasonTooLong, tag)
		}
		return ch, tag, v.err()
	case ActionSetGroup:
		g := a.GroupID
		ch.GroupID = &g
	case ActionFavorite:
		ch.Favorite = &t
	case ActionUnfavorite:
		ch.Favorite = &f
	case ActionBlock:
		reason := cleanText(a.Reason)
		if reason == "" {
			v.add(FieldReason, ReasonRequired, "")
		} else if len([]rune(reason)) > maxReasonLen {
			v.add(FieldReason, ReasonTooLong, "")
		}
		ch.Blocked, ch.BlockReason = &t, &reason
	case ActionUnblock:
		empty := ""
		ch.Blocked, ch.BlockReason = &f, &empty
	case ActionUnsubscribeSMS:
		ch.SMS = &f
	case ActionUnsubscribeEmail:
		ch.Email = &f
	case ActionSubscribeSMS:
		ch.SMS = &t
	case ActionSubscribeEmail:
		ch.Email = &t
	default:
		v.add(FieldFilter, ReasonBadValue, string(a.Kind))
	}
	return ch, "", v.err()
}

func refExists(ctx context.Context, r ClientReader, pick func(Directory) []Ref, id, field string) error {
	d, err := r.Directory(ctx)
	if err != nil {
		return err
	}
	if NameOf(pick(d), id) == "" {
		return &ValidationError{Fields: []FieldError{{Field: field, Reason: ReasonNotFound, Value: id}}}
	}
	return nil
}

// ensureTag returns the live tag named name, making it if missing.
func ensureTag(ctx context.Context, tx Tx, name string, now time.Time, node string) (Tag, error) {
	t, err := tx.TagByName(ctx, name)
	if err == nil || !errors.Is(err, ErrNotFound) {
		return t, err
	}
	t = Tag{ID: NewID(), Name: name, CreatedAt: now, UpdatedAt: now, NodeID: node}
	if err := tx.InsertTag(ctx, t); err != nil {
		return Tag{}, err
	}
	return t, nil
}

// bulkEntity is the audit entity id of a bulk action: the client when one is
// checked, "*" for many.
func bulkEntity(q ClientQuery) string {
	if len(q.IDs) == 1 {
		return q.IDs[0]
	}
	return "*"
}

func bulkDetails(q ClientQuery, a Action, n int) string {
	m := map[string]any{"changed": n}
	if a.Tag != "" {
		m["tag"] = cleanText(a.Tag)
	}
	if a.Kind == ActionSetGroup {
		m["group_id"] = a.GroupID
	}
	if a.Reason != "" {
		m["reason"] = cleanText(a.Reason)
	}
	if q.IDs != nil {
		m["ids"] = q.IDs
	} else {
		m["query"] = SegmentQuery{Text: q.Text, Filter: q.Filter}
	}
	b, _ := json.Marshal(m)
	return string(b)
}

// AddContact adds a further phone, e-mail or social link to a client (CL-02).
// Phones are normalised like the main phone; e-mails are checked; links must
// be web addresses or @handles.
func (s *Clients) AddContact(ctx context.Context, clientID string, in ContactInput) (Contact, error) {
	region, err := phoneRegion(ctx, s.store)
	if err != nil {
		return Contact{}, err
	}
	c, err := cleanContact(in, region)
	if err != nil {
		return Contact{}, err
	}
	now := s.clock.Now()
	node := s.store.NodeID()
	c.ID, c.ClientID, c.CreatedAt, c.UpdatedAt, c.NodeID = NewID(), clientID, now, now, node
	err = s.store.Update(ctx, func(tx Tx) error {
		cl, err := tx.Client(ctx, clientID)
		if err != nil {
			return err
		}
		for _, old := range cl.Contacts {
			if old.Kind == c.Kind && old.Value == c.Value {
				return &ValidationError{Fields: []FieldError{{Field: FieldContact, Reason: ReasonDuplicate, Value: c.Value}}}
			}
		}
		if err := tx.InsertContact(ctx, c); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.audit(ctx, now, "client.contact.add", clientID,
			jsonObject("kind", string(c.Kind), "value", c.Value, "label", c.Label)))
	})
	if err != nil {
		return Contact{}, fmt.Errorf("add contact to client %s: %w", clientID, err)
	}
	return c, nil
}

func cleanContact(in ContactInput, region string) (Contact, error) {
	c := Contact{Kind: in.Kind, Value: cleanText(in.Value), Label: cleanText(in.Label)}
	var v validation
	switch {
	case !oneOf(c.Kind, AllContactKinds):
		v.add(FieldContact, ReasonBadValue, string(c.Kind))
	case c.Value == "":
		v.add(FieldValue, ReasonRequired, "")
	case len([]rune(c.Value)) > maxValueLen:
		v.add(FieldValue, ReasonTooLong, c.Value)
	case c.Kind == ContactPhone:
		p, err := NormalizePhone(c.Value, region)
		if err != nil {
			v.add(FieldValue, ReasonBadPhone, c.Value)
		}
		c.Value = p
	case c.Kind == ContactEmail:
		e, ok := cleanEmail(c.Value)
		if !ok {
			v.add(FieldValue, ReasonBadEmail, c.Value)
		}
		c.Value = e
	case c.Kind == ContactSocial:
		if !validLink(c.Value) {
			v.add(FieldValue, ReasonBadLink, c.Value)
		}
	}
	if len([]rune(c.Label)) > maxNameLen {
		v.add(FieldName, ReasonTooLong, c.Label)
	}
	return c, v.err()
}

// validLink accepts http(s) addresses with a host, bare domains with a path
// (vk.com/id1) and @handles.
func validLink(s string) bool {
	if strings.ContainsAny(s, " \t") {
		return false
	}
	if h, ok := strings.CutPrefix(s, "@"); ok {
		return len(h) >= 2
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && strings.Contains(u.Host, ".")
}

// RemoveContact removes a further contact.
func (s *Clients) RemoveContact(ctx context.Context, clientID, contactID string) error {
	now := s.clock.Now()
	node := s.store.NodeID()
	err := s.store.Update(ctx, func(tx Tx) error {
		if err := tx.DeleteContact(ctx, clientID, contactID, now, node); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.audit(ctx, now, "client.contact.remove", clientID, jsonObject("id", contactID)))
	})
	if err != nil {
		return fmt.Errorf("remove contact from client %s: %w", clientID, err)
	}
	return nil
}

// SetVariable sets a custom variable of a client (CL-10); a variable of that
// name gets the new value.
func (s *Clients) SetVariable(ctx context.Context, clientID, name, value string) (Variable, error) {
	name, value = cleanText(name), strings.TrimSpace(value)
	var v validation
	switch {
	case name == "":
		v.add(FieldName, ReasonRequired, "")
	case len([]rune(name)) > maxVarNameLen:
		v.add(FieldName, ReasonTooLong, name)
	}
	if len([]rune(value)) > maxNoteLen {
		v.add(FieldValue, ReasonTooLong, "")
	}
	if err := v.err(); err != nil {
		return Variable{}, err
	}
	now := s.clock.Now()
	node := s.store.NodeID()
	out := Variable{ID: NewID(), ClientID: clientID, Name: name, Value: value, CreatedAt: now, UpdatedAt: now, NodeID: node}
	err := s.store.Update(ctx, func(tx Tx) error {
		c, err := tx.Client(ctx, clientID)
		if err != nil {
			return err
		}
		for _, old := range c.Variables {
			if old.Name == name {
				out.ID, out.CreatedAt = old.ID, old.CreatedAt
			}
		}
		if err := tx.SetVariable(ctx, out); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.audit(ctx, now, "client.variable.set", clientID, jsonObject("name", name, "value", value)))
	})
	if err != nil {
		return Variable{}, fmt.Errorf("set variable of client %s: %w", clientID, err)
	}
	return out, nil
}

// RemoveVariable removes a client's variable.
func (s *Clients) RemoveVariable(ctx context.Context, clientID, name string) error {
	now := s.clock.Now()
	node := s.store.NodeID()
	err := s.store.Update(ctx, func(tx Tx) error {
		if err := tx.DeleteVariable(ctx, clientID, name, now, node); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.audit(ctx, now, "client.variable.remove", clientID, jsonObject("name", name)))
	})
	if err != nil {
		return fmt.Errorf("remove variable of client %s: %w", clientID, err)
	}
	return nil
}

// SetReferrer records who brought the client (CL-19); "" clears it. A client
// cannot refer itself, nor close a circle of referrals.
func (s *Clients) SetReferrer(ctx context.Context, clientID, referrerID string) error {
	now := s.clock.Now()
	node := s.store.NodeID()
	err := s.store.Update(ctx, func(tx Tx) error {
		if _, err := tx.Client(ctx, clientID); err != nil {
			return err
		}
		if referrerID != "" {
			if referrerID == clientID {
				return &ValidationError{Fields: []FieldError{{Field: FieldReferrer, Reason: ReasonSelf}}}
			}
			// Walk up from the referrer: meeting the client closes a circle.
			seen := map[string]bool{}
			for id := referrerID; id != ""; {
				if id == clientID {
					return &ValidationError{Fields: []FieldError{{Field: FieldReferrer, Reason: ReasonCycle}}}
				}
				if seen[id] {
					break
				}
				seen[id] = true
				r, err := tx.Client(ctx, id)
				if errors.Is(err, ErrNotFound) && id == referrerID {
					return &ValidationError{Fields: []FieldError{{Field: FieldReferrer, Reason: ReasonNotFound, Value: referrerID}}}
				}
				if err != nil {
					if errors.Is(err, ErrNotFound) {
						break
					}
					return err
				}
				id = r.ReferrerID
			}
		}
		if err := tx.SetReferrer(ctx, clientID, referrerID, now, node); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.audit(ctx, now, "client.referrer.set", clientID, jsonObject("referrer_id", referrerID)))
	})
	if err != nil {
		return fmt.Errorf("set referrer of client %s: %w", clientID, err)
	}
	return nil
}

// Referrals returns the clients that id brought, newest first (at most limit).
func (s *Clients) Referrals(ctx context.Context, id string, limit int) ([]Client, error) {
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	cs, err := s.store.Referrals(ctx, id, limit)
	if err != nil {
		return nil, fmt.Errorf("referrals of client %s: %w", id, err)
	}
	return cs, nil
}

// UnsubscribeReport says what a mass unsubscribe did with each pasted entry
// (CL-11). Entries are as cleaned: phones in E.164, e-mails in lower case.
type UnsubscribeReport struct {
	Unsubscribed []string // matched a subscribed client and is now unsubscribed
	Already      []string // matched only clients already unsubscribed
	Unknown      []string // a well-formed phone or e-mail nobody has
	Invalid      []string // neither a phone nor an e-mail, as pasted
	Clients      int      // subscriptions switched off: a client unsubscribed from SMS and e-mail counts twice
}

// Unsubscribe takes a pasted list of phones and e-mails, one or more per line
// (separated by commas, semicolons or spaces), and unsubscribes every client
// with such a phone from SMS and with such an e-mail from e-mail (CL-11).
// Duplicates in the list count once.
func (s *Clients) Unsubscribe(ctx context.Context, pasted string) (UnsubscribeReport, error) {
	var rep UnsubscribeReport
	region, err := phoneRegion(ctx, s.store)
	if err != nil {
		return rep, err
	}
	entries := splitPasted(pasted)
	if len(entries) > maxPasteLines {
		return rep, &ValidationError{Fields: []FieldError{{Field: FieldValue, Reason: ReasonTooLong, Value: strconv.Itoa(len(entries))}}}
	}
	now := s.clock.Now()
	node := s.store.NodeID()
	err = s.store.Update(ctx, func(tx Tx) error {
		rep = UnsubscribeReport{}
		seen := map[string]bool{}
		f := false
		for _, e := range entries {
			kind, value := ContactEmail, ""
			if v, ok := cleanEmail(e); ok && strings.Contains(e, "@") {
				value = v
			} else if p, err := NormalizePhone(e, region); err == nil && looksLikePhone(e) {
				kind, value = ContactPhone, p
			} else {
				rep.Invalid = append(rep.Invalid, e)
				continue
			}
			if seen[value] {
				continue
			}
			seen[value] = true
			ids, err := tx.ClientIDsByContact(ctx, kind, value)
			if err != nil {
				return err
			}
			if len(ids) == 0 {
				rep.Unknown = append(rep.Unknown, value)
				continue
			}
			change := ClientChange{SMS: &f}
			cond := ClientFilter{SMS: Yes}
			if kind == ContactEmail {
				change, cond = ClientChange{Email: &f}, ClientFilter{Email: Yes}
			}
			n, err := tx.UpdateClients(ctx, ClientSelect{IDs: ids, Filter: cond}, change, now, node)
			if err != nil {
				return err
			}
			if n == 0 {
				rep.Already = append(rep.Already, value)
			} else {
				rep.Unsubscribed = append(rep.Unsubscribed, value)
				rep.Clients += n
			}
		}
		b, _ := json.Marshal(map[string]any{
			"unsubscribed": len(rep.Unsubscribed), "already": len(rep.Already),
			"unknown": len(rep.Unknown), "invalid": len(rep.Invalid), "clients": rep.Clients,
		})
		return tx.AppendAudit(ctx, AuditEntry{
			ID: NewID(), At: now, NodeID: node, Actor: ActorOf(ctx),
			Action: "clients.mass_unsubscribe", Entity: "client", EntityID: "*", Details: string(b),
		})
	})
	if err != nil {
		return UnsubscribeReport{}, fmt.Errorf("mass unsubscribe: %w", err)
	}
	return rep, nil
}

// splitPasted splits pasted text into entries at line breaks, commas,
// semicolons and tabs; a line that is not an e-mail keeps its inner spaces
// ("+7 916 123-45-67").
func splitPasted(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool {
		return r == '\n' || r == '\r' || r == ',' || r == ';' || r == '\t'
	}) {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if strings.Contains(f, "@") && strings.Contains(f, " ") {
			out = append(out, strings.Fields(f)...)
			continue
		}
		out = append(out, f)
	}
	return out
}
