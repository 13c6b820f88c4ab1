package app

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Role is what a user may do (AD-01).
type Role string

// Roles, from the most to the least trusted.
const (
	RoleOwner   Role = "owner"
	RoleManager Role = "manager"
	RoleCashier Role = "cashier"
)

// Roles lists the roles, owner first.
var Roles = []Role{RoleOwner, RoleManager, RoleCashier}

// Permission names a part of the program a role may use.
type Permission string

// Permissions.
const (
	PermTill      Permission = "till"      // sell, identify guests, add clients
	PermClients   Permission = "clients"   // the client base and the client page
	PermCatalogue Permission = "catalogue" // products, categories, gifts
	PermPrograms  Permission = "programs"  // bonus programs and account types
	PermPoints    Permission = "points"    // manual accrual, debit, correction (also needs an approval)
	PermTransfer  Permission = "transfer"  // import and export
	PermAudit     Permission = "audit"     // the audit log
	PermUsers     Permission = "users"     // users, roles, the administrator password
	PermSettings  Permission = "settings"  // venue settings, backups, restore
)

// Can reports whether the role has the permission. The owner may do
// everything; a manager everything but users and settings; a cashier the till
// and the client base.
func (r Role) Can(p Permission) bool {
	switch r {
	case RoleOwner:
		return true
	case RoleManager:
		return p != PermUsers && p != PermSettings
	case RoleCashier:
		return p == PermTill || p == PermClients
	}
	return false
}

// IsAdmin reports whether the role's password is an administrator password
// (owner or manager).
func (r Role) IsAdmin() bool { return r == RoleOwner || r == RoleManager }

// User is a person who signs in (AD-01). SecretHash is a PHC-format argon2id
// hash of their PIN or password.
type User struct {
	ID         string
	Name       string
	Role       Role
	SecretHash string
	Disabled   bool
	CreatedAt  time.Time
	UpdatedAt  time.Time
	NodeID     string
}

// UserInput is a new user or a change to one; an empty Secret keeps the old one.
type UserInput struct {
	Name     string
	Role     Role
	Secret   string
	Disabled bool
}

// AuditQuery selects audit log entries, newest first (AD-02).
type AuditQuery struct {
	Text   string // a fragment of the action, actor, entity id or details
	Actor  string // exactly
	Action string // a prefix: "ledger." or "client.update"
	From   time.Time
	To     time.Time // exclusive; zero: open
	Offset int
	Limit  int // 0: all
}

// Session is who is signed in.
type Session struct {
	UserID string
	Name   string
	Role   Role
}

// Approval is an administrator's password entered for one operation (BN-03…
// BN-05). Only Auth.Approve makes a valid one, and it is good for
// ApprovalTTL.
type Approval struct {
	UserID string
	Name   string
	Role   Role
	until  time.Time
	valid  bool
}

// ApprovalTTL is how long an approval stays good: long enough to fill in the
// operation's dialog after the password, too short to reuse later.
const ApprovalTTL = 5 * time.Minute

// Authentication errors.
var (
	// ErrBadSecret means the name or the PIN / password is wrong.
	ErrBadSecret = errors.New("wrong name or password")
	// ErrLocked means too many wrong tries: wait (a *LockedError says how long).
	ErrLocked = errors.New("locked after wrong passwords")
	// ErrDenied means the user's role may not do this, or an approval is missing.
	ErrDenied = errors.New("not allowed")
	// ErrNoAdmin means no administrator password is set yet.
	ErrNoAdmin = errors.New("no administrator password set")
)

// LockedError says until when the prompt is locked.
type LockedError struct{ Until time.Time }

func (e *LockedError) Error() string {
	return fmt.Sprintf("locked after wrong passwords until %s", e.Until.Format(time.TimeOnly))
}

// Is makes a *LockedError match ErrLocked.
func (e *LockedError) Is(target error) bool { return target == ErrLocked }

// Lockout: after lockAfter wrong tries in a row the prompt locks for
// lockFirst, and every further wrong try doubles the wait up to lockMax.
const (
	lockAfter = 5
	lockFirst = time.Minute
	lockMax   = 15 * time.Minute
)

// Secret lengths, in characters: a 4-digit PIN is the shortest.
const (
	minSecretLen = 4
	maxSecretLen = 128
)

// Auth holds users, sign-in and approvals (AD-01). Its lockout counter is
// shared by sign-in and approvals and lives as long as the program.
type Auth struct {
	store Store
	clock Clock

	mu       sync.Mutex
	failures int
	until    time.Time
}

// NewAuth returns the authentication use cases.
func NewAuth(store Store, clock Clock) *Auth { return &Auth{store: store, clock: clock} }

// Users returns every user, by name.
func (a *Auth) Users(ctx context.Context) ([]User, error) {
	us, err := a.store.Users(ctx)
	if err != nil {
		return nil, fmt.Errorf("read users: %w", err)
	}
	return us, nil
}

// AuditLog returns audit log entries (AD-02), newest first.
func (a *Auth) AuditLog(ctx context.Context, q AuditQuery) ([]AuditEntry, error) {
	es, err := a.store.AuditLog(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	return es, nil
}

// NeedsSignIn reports whether anyone must sign in: true once a user exists.
func (a *Auth) NeedsSignIn(ctx context.Context) (bool, error) {
	us, err := a.Users(ctx)
	if err != nil {
		return false, err
	}
	for _, u := range us {
		if !u.Disabled {
			return true, nil
		}
	}
	return false, nil
}

// SaveUser creates a user (id "") or changes one. The first user must be an
// owner and needs no approval: their password becomes the administrator
// password. Every later change needs an owner's approval. The last enabled
// owner can be neither demoted nor disabled.
func (a *Auth) SaveUser(ctx context.Context, ap Approval, id string, in UserInput) (User, error) {
	in.Name = strings.TrimSpace(in.Name)
	var v validation
	switch {
	case in.Name == "":
		v.add(FieldUserName, ReasonRequired, "")
	case utf8.RuneCountInString(in.Name) > maxNameLen:
		v.add(FieldUserName, ReasonTooLong, in.Name)
	}
	if in.Role != RoleOwner && in.Role != RoleManager && in.Role != RoleCashier {
		v.add(FieldRole, ReasonBadValue, string(in.Role))
	}
	if id == "" || in.Secret != "" {
		switch n := utf8.RuneCountInString(in.Secret); {
		case n == 0:
			v.add(FieldSecret, ReasonRequired, "")
		case n < minSecretLen:
			v.add(FieldSecret, ReasonTooShort, "")
		case n > maxSecretLen:
			v.add(FieldSecret, ReasonTooLong, "")
		}
	}
	if err := v.err(); err != nil {
		return User{}, err
	}
	now := a.clock.Now()
	node := a.store.NodeID()
	var out User
	err := a.store.Update(ctx, func(tx Tx) error {
		us, err := tx.Users(ctx)
		if err != nil {
			return err
		}
		if len(us) > 0 {
			if err := ap.check(now); err != nil {
				return err
			}
			if ap.Role != RoleOwner {
				return fmt.Errorf("%w: only an owner manages users", ErrDenied)
			}
		} else if in.Role != RoleOwner {
			return &ValidationError{Fields: []FieldError{{Field: FieldRole, Reason: ReasonFirstOwner}}}
		}
		u := User{ID: NewID(), CreatedAt: now}
		owners := 0
		for _, o := range us {
			if strings.EqualFold(o.Name, in.Name) && o.ID != id {
				return &ValidationError{Fields: []FieldError{{Field: FieldUserName, Reason: ReasonTaken, Value: in.Name}}}
			}
			if o.ID == id {
				u = o
			}
			if o.Role == RoleOwner && !o.Disabled && o.ID != id {
				owners++
			}
		}
		if id != "" && u.ID != id {
			return fmt.Errorf("user %s: %w", id, ErrNotFound)
		}
		if owners == 0 && (in.Role != RoleOwner || in.Disabled) {
			return &ValidationError{Fields: []FieldError{{Field: FieldRole, Reason: ReasonLastOwner}}}
		}
		u.Name, u.Role, u.Disabled = in.Name, in.Role, in.Disabled
		if in.Secret != "" {
			h, err := HashSecret(in.Secret)
			if err != nil {
				return err
			}
			u.SecretHash = h
		}
		u.UpdatedAt, u.NodeID = now, node
		if err := tx.SaveUser(ctx, u); err != nil {
			return err
		}
		out = u
		return tx.AppendAudit(ctx, AuditEntry{ID: NewID(), At: now, NodeID: node, Actor: ActorOf(ctx),
			Action: "user.save", Entity: "user", EntityID: u.ID,
			Details: jsonObject("name", u.Name, "role", string(u.Role), "disabled", fmt.Sprint(u.Disabled),
				"secret_changed", fmt.Sprint(in.Secret != ""), "approved_by", ap.Name)})
	})
	if err != nil {
		return User{}, fmt.Errorf("save user %q: %w", in.Name, err)
	}
	return out, nil
}

// SignIn checks a user's name and secret and returns their session. Wrong
// tries count towards the lockout.
func (a *Auth) SignIn(ctx context.Context, name, secret string) (Session, error) {
	u, err := a.verify(ctx, func(u User) bool { return strings.EqualFold(u.Name, strings.TrimSpace(name)) }, secret, "auth.sign_in")
	if err != nil {
		return Session{}, err
	}
	return Session{UserID: u.ID, Name: u.Name, Role: u.Role}, nil
}

// Approve checks an administrator (owner or manager) password and returns an
// approval for one manual operation. Wrong tries count towards the lockout.
func (a *Auth) Approve(ctx context.Context, secret string) (Approval, error) {
	u, err := a.verify(ctx, func(u User) bool { return u.Role.IsAdmin() }, secret, "auth.approve")
	if err != nil {
		return Approval{}, err
	}
	return Approval{UserID: u.ID, Name: u.Name, Role: u.Role, until: a.clock.Now().Add(ApprovalTTL), valid: true}, nil
}

// LockedUntil returns when the prompt unlocks, or zero when it is open.
func (a *Auth) LockedUntil() time.Time {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.clock.Now().Before(a.until) {
		return a.until
	}
	return time.Time{}
}

func (a *Auth) verify(ctx context.Context, match func(User) bool, secret, action string) (User, error) {
	now := a.clock.Now()
	a.mu.Lock()
	if now.Before(a.until) {
		until := a.until
		a.mu.Unlock()
		return User{}, &LockedError{Until: until}
	}
	a.mu.Unlock()
	us, err := a.Users(ctx)
	if err != nil {
		return User{}, err
	}
	candidates := 0
	for _, u := range us {
		if u.Disabled || !match(u) {
			continue
		}
		candidates++
		if CheckSecret(u.SecretHash, secret) {
			a.mu.Lock()
			a.failures, a.until = 0, time.Time{}
			a.mu.Unlock()
			return u, nil
		}
	}
	if candidates == 0 && action == "auth.approve" {
		return User{}, ErrNoAdmin
	}
	a.mu.Lock()
	a.failures++
	if a.failures >= lockAfter {
		wait := lockFirst << min(a.failures-lockAfter, 10)
		a.until = now.Add(min(wait, lockMax))
	}
	locked := a.until
	a.mu.Unlock()
	node := a.store.NodeID()
	_ = a.store.Update(ctx, func(tx Tx) error {
		return tx.AppendAudit(ctx, AuditEntry{ID: NewID(), At: now, NodeID: node, Actor: ActorOf(ctx),
			Action: action + ".failed", Entity: "user", EntityID: "", Details: "{}"})
	})
	if now.Before(locked) {
		return User{}, &LockedError{Until: locked}
	}
	return User{}, ErrBadSecret
}

// check reports whether ap is a live approval of an administrator.
func (ap Approval) check(now time.Time) error {
	if !ap.valid || !now.Before(ap.until) || !ap.Role.IsAdmin() {
		return fmt.Errorf("%w: the administrator password is needed", ErrDenied)
	}
	return nil
}

// argon2id parameters (OWASP's second recommended set: 19 MiB, 2 passes).
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// HashSecret hashes a PIN or password with argon2id into a PHC string.
func HashSecret(secret string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash secret: %w", err)
	}
	key := argon2.IDKey([]byte(secret), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckSecret reports whether secret matches a HashSecret hash, in constant time.
func CheckSecret(hash, secret string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 || m > 1<<20 || t > 16 {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(secret), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}
