// Package demo generates a realistic demo venue: a Moscow coffee shop with its
// menu, its guests and two years of their purchases. The same Options always
// produce the same venue, keys included, so demos, screenshots and benchmarks
// are reproducible.
//
// The generator is plain Go and knows nothing of storage: it hands the rows to
// a Sink (db.BulkLoader in the program) in an order that satisfies every
// foreign key.
package demo

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"loyaltydesk/app"
)

// MaxClients is the largest venue Generate makes.
const MaxClients = 50_000_000

// Options describe the venue to generate.
type Options struct {
	Clients int       // number of clients
	Seed    int64     // same seed → same venue (same ids too)
	Now     time.Time // "today" of the venue; purchases span the two years before it
	NodeID  string    // node id stamped on every row
}

// Sink receives the generated rows in order: categories, products, the client
// groups, classes and categories (Refs), the tags, then clients (each with
// its identifiers) interleaved with purchases. Purchases arrive after their
// client, and a client arrives after its referrer.
//
// A client's Tags and CategoryIDs name the tags and client categories they
// belong to (sent before); their Stats are zero, since their purchases come
// later: a Sink that stores clients adds them up from the purchases.
//
// The rows arrive in time order: a client when they registered, a purchase when
// it was made. Slices passed to a Sink are not reused by the generator.
type Sink interface {
	Categories(cs []app.ProductCategory) error
	Products(ps []app.Product) error
	// Refs receives groups, classes or client categories made at at by node.
	Refs(kind app.RefKind, refs []app.Ref, at time.Time, node string) error
	Tags(ts []app.Tag) error
	Client(c app.Client, ids []app.Identifier) error
	Purchase(p app.Purchase) error
}

// Generate writes a whole demo venue to sink. progress (may be nil) is called
// now and then with clients done and total.
//
// The venue trades from 8:00 to 22:00 Moscow time; its purchases fall on the
// days from two years before opt.Now up to the day before it. About nine guests
// in ten leave a phone, four in ten an e-mail and six in ten carry a loyalty
// card; most come a few times, a tail of regulars comes hundreds of times (about
// three purchases per guest on average).
//
// Guests are in the group "Гости", "Постоянные" or "VIP" by how often they
// come (their spend follows); regulars get the class "Бронза", "Серебро" or
// "Золото"; coffee-drinking regulars are in the category "Кофеманы" and a
// few guests in "Сладкоежки"; a few carry the tags "из Instagram", "веган" or
// "день рождения в офисе". Most guests who leave a phone or an e-mail
// subscribe to messages on it.
func Generate(ctx context.Context, opt Options, sink Sink, progress func(done, total int)) error {
	switch {
	case opt.Clients < 0 || opt.Clients > MaxClients:
		return fmt.Errorf("demo: clients must be between 0 and %d, not %d", MaxClients, opt.Clients)
	case opt.Now.IsZero():
		return errors.New("demo: Now is not set")
	case opt.NodeID == "":
		return errors.New("demo: NodeID is not set")
	}
	g := newGenerator(opt)
	if err := g.catalog(sink); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return g.emit(ctx, g.plan(), sink, progress)
}

// moscow is Moscow time: UTC+3 all year round since 2014.
var moscow = time.FixedZone("MSK", 3*60*60)

const (
	day         = 24 * 60 * 60 // seconds
	openAt      = 8 * 60 * 60
	lastCheckIn = 21*60*60 + 55*60 // the last registration leaves time for a purchase
	kindClient  = 0
	kindBuy     = 1

	paretoAlpha  = 1.25 // the tail of regulars: P(more than x purchases) ≈ x^-α
	maxPurchases = 500
)

// hourWeights is how busy each trading hour (8:00 to 21:00) is: the morning
// coffee rush, lunch and the evening.
var hourWeights = []int{10, 12, 8, 6, 9, 10, 7, 5, 6, 7, 8, 6, 4, 2}

// lineWeights are the odds of a receipt having 1, 2, 3 or 4 lines.
var lineWeights = []int{55, 28, 12, 5}

type generator struct {
	opt Options
	rng *rand.Rand
	ids randReader
	// extra draws what the client base added (groups, classes, categories,
	// tags) from a stream of its own, so the rest of a venue stays as it was.
	extra    *rand.Rand
	extraIDs randReader
	base     time.Time // midnight (Moscow) of the first trading day
	days     int       // trading days: base up to the day before opt.Now
	now      time.Time

	products  []app.Product
	pick      []int // cumulative weights over products
	drinks    []int // products a guest may make a habit of
	drinkPick []int // cumulative weights over drinks
	hourPick  []int
	linePick  []int
	mailPick  []int

	phones perm // client index → the 9 digits after +79
	cards  perm // client index → the 10 digits after the card prefix

	clientIDs []string // by client index, set when the client is emitted
	planned   []int32  // by client index: how many times they will buy
	coffee    []bool   // by drink: a coffee
	groups    [3]string
	classes   [3]string
	cats      [2]string // Кофеманы, Сладкоежки
	tags      [3]app.Tag
	favorite  []uint8 // by client index: their usual drink (index into drinks)
	regular   []bool  // by client index: comes 30 times or more
	recent    []int32 // ring of recently registered clients (referrers)
	recentN   int
	emails    map[string]struct{}
	receipt   int
}

func newGenerator(opt Options) *generator {
	rng := rand.New(rand.NewPCG(uint64(opt.Seed), 0x4c6f79616c747944))   // "LoyaltyD"
	extra := rand.New(rand.NewPCG(uint64(opt.Seed), 0x436c69656e744261)) // "ClientBa"
	now := opt.Now.In(moscow)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, moscow)
	base := today.AddDate(-2, 0, 0)
	g := &generator{
		opt:      opt,
		rng:      rng,
		ids:      randReader{rng},
		extra:    extra,
		extraIDs: randReader{extra},
		base:     base,
		days:     int(today.Sub(base) / (day * time.Second)),
		now:      now,
		hourPick: cumulative(hourWeights),
		linePick: cumulative(lineWeights),
		phones:   newPerm(1_000_000_000, rng),
		cards:    newPerm(10_000_000_000, rng),
		emails:   make(map[string]struct{}, opt.Clients/2),
		recent:   make([]int32, 4096),
	}
	mw := make([]int, len(emailDomains))
	for i, d := range emailDomains {
		mw[i] = d.w
	}
	g.mailPick = cumulative(mw)
	return g
}

// catalog emits the menu, made a month before the first trading day.
func (g *generator) catalog(sink Sink) error {
	at := g.base.AddDate(0, 0, -30).Add(10 * time.Hour).UTC()
	var cats []app.ProductCategory
	var weights, drinkWeights []int
	for _, mc := range menu {
		cat := app.ProductCategory{
			ID: app.IDAt(at, g.ids), Name: mc.name,
			CreatedAt: at, UpdatedAt: at, NodeID: g.opt.NodeID,
		}
		cats = append(cats, cat)
		for _, it := range mc.items {
			at = at.Add(time.Minute)
			if it.drink {
				g.drinks = append(g.drinks, len(g.products))
				g.coffee = append(g.coffee, mc.name == "Кофе")
				drinkWeights = append(drinkWeights, it.weight)
			}
			g.products = append(g.products, app.Product{
				ID: app.IDAt(at, g.ids), CategoryID: cat.ID, Name: it.name, SKU: it.sku,
				Price: it.price * 100, CreatedAt: at, UpdatedAt: at, NodeID: g.opt.NodeID,
			})
			weights = append(weights, it.weight)
		}
	}
	g.pick = cumulative(weights)
	g.drinkPick = cumulative(drinkWeights)
	if err := sink.Categories(cats); err != nil {
		return err
	}
	if err := sink.Products(slices.Clone(g.products)); err != nil {
		return err
	}
	return g.directory(sink, at.Add(time.Hour))
}

// directory emits the client groups, classes, categories and tags, made at at.
func (g *generator) directory(sink Sink, at time.Time) error {
	refs := func(kind app.RefKind, dst []string, names ...string) error {
		rs := make([]app.Ref, len(names))
		for i, name := range names {
			rs[i] = app.Ref{ID: app.IDAt(at, g.extraIDs), Name: name}
			dst[i] = rs[i].ID
		}
		return sink.Refs(kind, rs, at, g.opt.NodeID)
	}
	if err := refs(app.RefGroup, g.groups[:], "Гости", "Постоянные", "VIP"); err != nil {
		return err
	}
	if err := refs(app.RefClass, g.classes[:], "Бронза", "Серебро", "Золото"); err != nil {
		return err
	}
	if err := refs(app.RefCategory, g.cats[:], "Кофеманы", "Сладкоежки"); err != nil {
		return err
	}
	for i, name := range []string{"из Instagram", "веган", "день рождения в офисе"} {
		g.tags[i] = app.Tag{ID: app.IDAt(at, g.extraIDs), Name: name, CreatedAt: at, UpdatedAt: at, NodeID: g.opt.NodeID}
	}
	return sink.Tags(slices.Clone(g.tags[:]))
}

// plan decides when every client registers and when they buy, and returns the
// events sorted by time. An event is packed in a uint64: seconds since g.base,
// then the kind (client or purchase), then the client index, so that sorting
// the numbers orders the events by time, a registration before the purchases
// of the same second.
func (g *generator) plan() []uint64 {
	n := g.opt.Clients
	g.clientIDs = make([]string, n)
	g.favorite = make([]uint8, n)
	g.regular = make([]bool, n)
	g.planned = make([]int32, n)
	events := make([]uint64, 0, n*4+16)
	event := func(sec int, kind uint64, i int) uint64 {
		return uint64(sec)<<33 | kind<<32 | uint64(i)
	}
	for i := range n {
		k := g.purchaseCount()
		g.regular[i] = k >= 30
		g.planned[i] = int32(k)
		// A regular needs a long enough stretch of days for their visits.
		span := min(g.days-1, k*4/5)
		first := g.rng.IntN(g.days - span)
		last := g.days - 1
		if k > 1 && g.rng.IntN(100) < 45 { // stopped coming at some point
			last = first + span + g.rng.IntN(g.days-first-span)
		}
		registered := first*day + min(g.timeOfDay(), lastCheckIn)
		events = append(events, event(registered, kindClient, i))
		if k == 0 {
			continue
		}
		firstBuy := registered + 60 + g.rng.IntN(240)
		events = append(events, event(firstBuy, kindBuy, i))
		for range k - 1 {
			t := 0
			for t <= firstBuy {
				t = (first+g.rng.IntN(last-first+1))*day + g.timeOfDay()
			}
			events = append(events, event(t, kindBuy, i))
		}
	}
	slices.Sort(events)
	return events
}

// purchaseCount draws how many times a client buys in two years: about one in
// eight registers and never buys, most buy 1–3 times, and a Pareto tail of
// regulars buys dozens to hundreds of times.
func (g *generator) purchaseCount() int {
	if g.rng.IntN(100) < 12 {
		return 0
	}
	for {
		x := math.Pow(1-g.rng.Float64(), -1/paretoAlpha) // Pareto, x ≥ 1
		if x < maxPurchases {
			return int(x)
		}
	}
}

// timeOfDay returns seconds after midnight within the trading hours.
func (g *generator) timeOfDay() int {
	return openAt + g.choose(g.hourPick)*3600 + g.rng.IntN(3600)
}

func (g *generator) emit(ctx context.Context, events []uint64, sink Sink, progress func(done, total int)) error {
	done, total := 0, g.opt.Clients
	for n, e := range events {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		at := g.base.Add(time.Duration(e>>33) * time.Second).UTC()
		i := int(uint32(e))
		if (e>>32)&1 == kindClient {
			c, ids := g.client(i, at)
			if err := sink.Client(c, ids); err != nil {
				return err
			}
			done++
			if progress != nil && done%10_000 == 0 {
				progress(done, total)
			}
			continue
		}
		if err := sink.Purchase(g.purchase(i, at)); err != nil {
			return err
		}
	}
	if progress != nil {
		progress(done, total)
	}
	return nil
}

// client makes client i, who registers at at.
func (g *generator) client(i int, at time.Time) (app.Client, []app.Identifier) {
	r := g.rng
	c := app.Client{
		ID:        app.IDAt(at, g.ids),
		CreatedAt: at,
		UpdatedAt: at,
		NodeID:    g.opt.NodeID,
	}
	male := r.IntN(100) < 45
	father := patronymics[pickSkewed(r, len(patronymics), 1.3)]
	surname := surnames[pickSkewed(r, len(surnames), 1.3)]
	if male {
		c.Gender = app.GenderMale
		c.FirstName = maleNames[pickSkewed(r, len(maleNames), 1.7)]
		c.Patronymic = father.male
	} else {
		c.Gender = app.GenderFemale
		c.FirstName = femaleNames[pickSkewed(r, len(femaleNames), 1.7)]
		c.Patronymic = father.female
		surname = feminine(surname)
	}
	if r.IntN(100) < 93 {
		c.LastName = surname
	}
	if r.IntN(100) >= 65 {
		c.Patronymic = ""
	}
	if r.IntN(100) < 85 {
		c.BirthDate = g.birthDate()
	}
	if r.IntN(100) < 90 {
		c.Phone = "+79" + pad(g.phones.apply(uint64(i)), 9)
		c.SMSSubscribed = r.IntN(100) < 85
	}
	if r.IntN(100) < 40 {
		c.Email = g.email(c)
		c.EmailSubscribed = r.IntN(100) < 70
	}
	if r.IntN(1000) < 3 {
		c.Blocked = true
		c.BlockReason = blockReasons[r.IntN(len(blockReasons))]
	}
	if g.regular[i] {
		c.Favorite = r.IntN(100) < 25
	} else {
		c.Favorite = r.IntN(1000) < 3
	}
	if r.IntN(1000) < 7 {
		c.Note = notes[r.IntN(len(notes))]
	}
	if g.recentN > 0 && r.IntN(100) < 3 {
		ref := g.recent[r.IntN(min(g.recentN, len(g.recent)))]
		c.ReferrerID = g.clientIDs[ref]
	}
	g.recent[g.recentN%len(g.recent)] = int32(i)
	g.recentN++
	g.clientIDs[i] = c.ID
	g.favorite[i] = uint8(g.choose(g.drinkPick))
	g.clientBase(i, &c)

	var ids []app.Identifier
	if c.Phone != "" {
		ids = append(ids, app.Identifier{
			ID: app.IDAt(at, g.ids), ClientID: c.ID, Media: app.MediaPhone, Input: app.InputPhone,
			Value: c.Phone, CreatedAt: at, UpdatedAt: at, NodeID: g.opt.NodeID,
		})
	}
	if r.IntN(100) < 60 {
		ids = append(ids, app.Identifier{
			ID: app.IDAt(at, g.ids), ClientID: c.ID, Media: app.MediaCard, Input: app.InputBarcode,
			Value: ean13("27" + pad(g.cards.apply(uint64(i)), 10)), CreatedAt: at, UpdatedAt: at, NodeID: g.opt.NodeID,
		})
	}
	return c, ids
}

// clientBase puts client i in a group, a class, categories and tags: the
// group and the class by how often they will come, the rest by chance.
func (g *generator) clientBase(i int, c *app.Client) {
	x := g.extra
	k := g.planned[i]
	switch {
	case k >= 30:
		c.GroupID = g.groups[2]
	case k >= 3:
		c.GroupID = g.groups[1]
	default:
		c.GroupID = g.groups[0]
	}
	switch {
	case k >= 100:
		c.ClassID = g.classes[2]
	case k >= 30:
		c.ClassID = g.classes[1]
	case k >= 10:
		c.ClassID = g.classes[0]
	}
	if k >= 5 && g.coffee[g.favorite[i]] {
		c.CategoryIDs = append(c.CategoryIDs, g.cats[0])
	}
	if x.IntN(100) < 8 {
		c.CategoryIDs = append(c.CategoryIDs, g.cats[1])
	}
	for j, perMille := range []int{60, 20, 5} {
		if x.IntN(1000) < perMille {
			c.Tags = append(c.Tags, g.tags[j])
		}
	}
}

// birthDate draws the birthday of a guest aged 16 to 80, most of them 18–40.
func (g *generator) birthDate() app.Date {
	r := g.rng
	var age int
	switch p := r.IntN(100); {
	case p < 3:
		age = 16 + r.IntN(2)
	case p < 73:
		age = 18 + r.IntN(22)
	case p < 93:
		age = 40 + r.IntN(20)
	default:
		age = 60 + r.IntN(21)
	}
	today := time.Date(g.now.Year(), g.now.Month(), g.now.Day(), 0, 0, 0, 0, time.UTC)
	// Born after this day age+1 years ago and no later than this day age years ago.
	return app.DateOf(today.AddDate(-age-1, 0, 1+r.IntN(365)))
}

// email makes a unique e-mail address from the client's name.
func (g *generator) email(c app.Client) string {
	r := g.rng
	f, l := translit(c.FirstName), translit(c.LastName)
	var local string
	switch {
	case l == "":
		local = f
	default:
		switch r.IntN(6) {
		case 0:
			local = f + "." + l
		case 1:
			local = f + l
		case 2:
			local = f[:1] + "." + l
		case 3:
			local = l + "." + f
		case 4:
			local = f + "_" + l
		default:
			local = l + f[:1]
		}
	}
	if !c.BirthDate.IsZero() && r.IntN(100) < 35 {
		if r.IntN(2) == 0 {
			local += strconv.Itoa(c.BirthDate.Year)
		} else {
			local += pad(uint64(c.BirthDate.Year%100), 2)
		}
	}
	domain := "@" + emailDomains[g.choose(g.mailPick)].v
	addr := local + domain
	for n := 10; ; n *= 10 {
		if _, taken := g.emails[addr]; !taken {
			break
		}
		addr = local + strconv.Itoa(n/10+r.IntN(n)) + domain
	}
	g.emails[addr] = struct{}{}
	return addr
}

// purchase makes a receipt of client i at time at.
func (g *generator) purchase(i int, at time.Time) app.Purchase {
	r := g.rng
	g.receipt++
	p := app.Purchase{
		ID: app.IDAt(at, g.ids), Number: "D" + pad(uint64(g.receipt), 9), ClientID: g.clientIDs[i],
		OccurredAt: at, CreatedAt: at, UpdatedAt: at, NodeID: g.opt.NodeID,
	}
	n := 1 + g.choose(g.linePick)
	p.Lines = make([]app.PurchaseLine, 0, n)
	for l := range n {
		var pi int
		if l == 0 && r.IntN(100) < 55 {
			pi = g.drinks[g.favorite[i]]
		} else {
			pi = g.choose(g.pick)
		}
		qty := int64(1000)
		if r.IntN(100) < 7 {
			qty = 2000
		}
		if j := slices.IndexFunc(p.Lines, func(pl app.PurchaseLine) bool { return pl.ProductID == g.products[pi].ID }); j >= 0 {
			p.Lines[j].Quantity += qty
			continue
		}
		pr := g.products[pi]
		p.Lines = append(p.Lines, app.PurchaseLine{
			ID: app.IDAt(at, g.ids), Position: len(p.Lines) + 1, ProductID: pr.ID, CategoryID: pr.CategoryID,
			Name: pr.Name, Quantity: qty, Price: pr.Price,
		})
	}
	for j := range p.Lines {
		pl := &p.Lines[j]
		pl.Amount = pl.Price * pl.Quantity / 1000
		p.Sold += pl.Amount
	}
	if r.IntN(100) < 7 {
		pct := int64(5 + r.IntN(6))
		p.Discount = (p.Sold*pct + 50) / 100
	}
	p.Paid = p.Sold - p.Discount
	return p
}

// choose returns an index drawn with the weights whose running sums are cum.
func (g *generator) choose(cum []int) int {
	x := g.rng.IntN(cum[len(cum)-1])
	i, _ := slices.BinarySearch(cum, x+1)
	return i
}

func cumulative(w []int) []int {
	out := make([]int, len(w))
	sum := 0
	for i, v := range w {
		sum += v
		out[i] = sum
	}
	return out
}

// pickSkewed returns an index below n that favours the front of a list sorted
// by popularity; a larger skew favours it more.
func pickSkewed(r *rand.Rand, n int, skew float64) int {
	return min(n-1, int(float64(n)*math.Pow(r.Float64(), skew)))
}

// pad formats v in decimal with leading zeros to width digits.
func pad(v uint64, width int) string {
	var buf [20]byte
	b := strconv.AppendUint(buf[:0], v, 10)
	if len(b) >= width {
		return string(b)
	}
	out := make([]byte, width)
	for i := range width - len(b) {
		out[i] = '0'
	}
	copy(out[width-len(b):], b)
	return string(out)
}

// ean13 appends the EAN-13 check digit to 12 digits.
func ean13(digits12 string) string {
	sum := 0
	for i := range 12 {
		d := int(digits12[i] - '0')
		if i%2 == 1 {
			d *= 3
		}
		sum += d
	}
	return digits12 + strconv.Itoa((10-sum%10)%10)
}

// randReader reads random bytes from a seeded generator, for app.IDAt.
type randReader struct{ r *rand.Rand }

func (rr randReader) Read(p []byte) (int, error) {
	for i := 0; i < len(p); i += 8 {
		v := rr.r.Uint64()
		for j := i; j < len(p) && j < i+8; j++ {
			p[j] = byte(v)
			v >>= 8
		}
	}
	return len(p), nil
}

// perm is a keyed permutation of [0, n): a balanced Feistel network on the
// smallest even number of bits that holds n, walked until it lands below n. It
// turns client numbers into phone and card numbers that look random but can
// never repeat.
type perm struct {
	n    uint64
	half uint
	keys [4]uint64
}

func newPerm(n uint64, r *rand.Rand) perm {
	b := uint(bits.Len64(n - 1))
	b += b % 2
	p := perm{n: n, half: b / 2}
	for i := range p.keys {
		p.keys[i] = r.Uint64()
	}
	return p
}

func (p perm) apply(x uint64) uint64 {
	mask := uint64(1)<<p.half - 1
	for {
		l, rt := x>>p.half, x&mask
		for _, k := range p.keys {
			l, rt = rt, l^(mix(rt^k)&mask)
		}
		x = l<<p.half | rt
		if x < p.n {
			return x
		}
	}
}

// mix is the splitmix64 finaliser.
func mix(z uint64) uint64 {
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}
