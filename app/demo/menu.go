package demo

// weighted is a choice with a relative weight.
type weighted[T any] struct {
	v T
	w int
}

// menuCategory is a category of the demo menu.
type menuCategory struct {
	name  string
	items []menuItem
}

// menuItem is a product of the demo menu. price is in roubles; weight is how
// often guests order it relative to the rest of the menu.
type menuItem struct {
	name   string
	sku    string
	price  int64
	weight int
	// drink marks items a guest may order every time they come (a favourite).
	drink bool
}

// menu is a Moscow coffee shop's menu (2024–2026 prices).
var menu = []menuCategory{
	{"Кофе", []menuItem{
		{"Эспрессо", "KF-001", 150, 6, true},
		{"Американо", "KF-002", 180, 12, true},
		{"Капучино", "KF-003", 220, 22, true},
		{"Латте", "KF-004", 240, 18, true},
		{"Раф ванильный", "KF-005", 290, 8, true},
		{"Флэт уайт", "KF-006", 260, 6, true},
	}},
	{"Салаты", []menuItem{
		{"Цезарь с курицей", "SL-001", 450, 5, false},
		{"Греческий", "SL-002", 390, 3, false},
		{"Оливье", "SL-003", 320, 3, false},
		{"Салат с тунцом", "SL-004", 490, 2, false},
	}},
	{"Десерты", []menuItem{
		{"Чизкейк Нью-Йорк", "DS-001", 320, 6, false},
		{"Тирамису", "DS-002", 350, 4, false},
		{"Медовик", "DS-003", 290, 4, false},
		{"Наполеон", "DS-004", 280, 2, false},
		{"Круассан", "DS-005", 180, 6, false},
		{"Эклер", "DS-006", 190, 3, false},
		{"Брауни", "DS-007", 230, 2, false},
	}},
	{"Напитки", []menuItem{
		{"Какао", "NP-001", 210, 4, true},
		{"Чай чёрный", "NP-002", 160, 4, true},
		{"Чай зелёный", "NP-003", 160, 3, true},
		{"Лимонад домашний", "NP-004", 260, 3, false},
		{"Апельсиновый фреш", "NP-005", 350, 2, false},
	}},
}
