package ui

// SavedLayout is a named wall arrangement: a layout and the camera on each
// tile, by camera id ("" for an empty tile).
type SavedLayout struct {
	Name    string
	Layout  string
	Cameras []string
}

// slot is one stream drawn in one rectangle of the wall.
type slot struct {
	stream int
	rect   rectF
}

// maxTiles is the most tiles a layout has (4×4).
const maxTiles = 16

// wallModel is what the wall shows where: the layout, the stream on each
// tile, the stream filling the wall and the selection. It knows nothing
// of Fyne or of painting; the UI goroutine owns it.
type wallModel struct {
	ids      []string // the streams' camera ids, by stream index
	assign   []int    // tile index -> stream index, or -1 for an empty tile
	layout   Layout
	full     int // stream shown alone, or -1
	selected int
}

// newWallModel puts n streams, in order, on the smallest grid that holds
// them.
func newWallModel(ids []string) wallModel {
	m := wallModel{ids: ids, layout: layoutFor(len(ids)), full: -1, assign: make([]int, maxTiles)}
	for i := range m.assign {
		m.assign[i] = -1
		if i < len(ids) {
			m.assign[i] = i
		}
	}
	return m
}

// put puts stream s on tile t. If s is on another tile the two tiles swap,
// as control-room operators expect; s = -1 empties t. It reports whether
// the arguments were valid.
func (m *wallModel) put(t, s int) bool {
	if t < 0 || t >= maxTiles || s >= len(m.ids) {
		return false
	}
	if s >= 0 {
		for i, cur := range m.assign {
			if cur == s && i != t {
				m.assign[i] = m.assign[t]
			}
		}
	}
	m.assign[t] = s
	m.full = -1
	return true
}

// tileStream is the stream on tile t, or -1.
func (m *wallModel) tileStream(t int) int {
	if t < 0 || t >= len(m.assign) {
		return -1
	}
	return m.assign[t]
}

// arrangement is the current arrangement under name.
func (m *wallModel) arrangement(name string) SavedLayout {
	sl := SavedLayout{Name: name, Layout: m.layout.Name}
	for i := range m.layout.Tiles {
		id := ""
		if s := m.assign[i]; s >= 0 && s < len(m.ids) {
			id = m.ids[s]
		}
		sl.Cameras = append(sl.Cameras, id)
	}
	return sl
}

// apply shows a saved arrangement. Cameras no longer present leave their
// tile empty; an unknown layout name keeps the current layout.
func (m *wallModel) apply(sl SavedLayout) {
	l := m.layout
	for _, b := range Layouts {
		if b.Name == sl.Layout {
			l = b
		}
	}
	byID := map[string]int{}
	for i, id := range m.ids {
		byID[id] = i
	}
	for i := range m.assign {
		m.assign[i] = -1
		if i < len(sl.Cameras) {
			if s, ok := byID[sl.Cameras[i]]; ok {
				m.assign[i] = s
			}
		}
	}
	m.layout, m.full = l, -1
}

// setLayout switches to l and back from a filled tile.
func (m *wallModel) setLayout(l Layout) { m.layout, m.full = l, -1 }

// fill shows stream i alone (i < 0 goes back to the layout) and selects
// it. It reports whether i was valid.
func (m *wallModel) fill(i int) bool {
	if i >= len(m.ids) {
		return false
	}
	m.full = i
	if i >= 0 {
		m.selected = i
	}
	return true
}

// selectStream selects stream i and reports whether i was valid.
func (m *wallModel) selectStream(i int) bool {
	if i < 0 || i >= len(m.ids) {
		return false
	}
	m.selected = i
	return true
}

// view is what to draw: each shown stream with its rectangle, and the
// rectangles of the empty tiles.
func (m *wallModel) view() (shown []slot, empty []rectF) {
	if m.full >= 0 {
		return []slot{{m.full, rectF{0, 0, 1, 1}}}, nil
	}
	for i, r := range m.layout.Tiles {
		if s := m.assign[i]; s >= 0 && s < len(m.ids) {
			shown = append(shown, slot{s, r})
		} else {
			empty = append(empty, r)
		}
	}
	return shown, empty
}

// tileAt is the layout tile at the unit position (x, y), or -1; while a
// stream fills the wall there is none.
func (m *wallModel) tileAt(x, y float64) int {
	if m.full >= 0 {
		return -1
	}
	for i, r := range m.layout.Tiles {
		if r.contains(x, y) {
			return i
		}
	}
	return -1
}

// streamAt is the stream shown at the unit position (x, y), or -1.
func (m *wallModel) streamAt(x, y float64) int {
	shown, _ := m.view()
	for _, sl := range shown {
		if sl.rect.contains(x, y) {
			return sl.stream
		}
	}
	return -1
}

func (r rectF) contains(x, y float64) bool {
	return x >= r.X && x < r.X+r.W && y >= r.Y && y < r.Y+r.H
}
