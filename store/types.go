package store

import (
	"errors"
	"fmt"
	"time"

	"quyhoach/gis"
)

// Errors callers can test with errors.Is; ui never sees database/sql errors.
var (
	ErrNotFound = errors.New("not found")
	ErrConflict = errors.New("conflict")
	ErrNoFile   = errors.New("no such file")
	ErrForeign  = errors.New("not a quyhoach store")
	ErrTooNew   = errors.New("written by a newer quyhoach")
	ErrReadOnly = errors.New("the store is read-only")
	// ErrUnfinished is a store half written: a write under way, or one cut
	// short, whose -journal only a connection that can write undoes.
	ErrUnfinished = errors.New("the store's last write is unfinished")
)

// kindError is an error of one of the kinds above with its own message, so
// users read "no plan \"x\"" rather than "store: not found: no plan \"x\"".
type kindError struct {
	kind error
	msg  string
}

func (e *kindError) Error() string        { return e.msg }
func (e *kindError) Is(target error) bool { return target == e.kind }

func kindErr(kind error, format string, args ...any) error {
	return &kindError{kind, fmt.Sprintf(format, args...)}
}

// Plan is a zoning plan kept in the store.
type Plan struct {
	UID            string `json:"uid"` // global id, the same in every store
	Code           string `json:"code"`
	Name           string `json:"name"`
	Level          string `json:"level"` // general | zoning | detailed
	Scale          int    `json:"scale"` // denominator: 2000 for 1/2000
	Area           string `json:"area,omitempty"`
	Note           string `json:"note,omitempty"`
	CRS            int    `json:"crs"`             // official CRS, EPSG:9215
	CurrentVersion int    `json:"current_version"` // number; 0 before the first import
	// Seal is the head of the plan's journal: one hash over its whole
	// history (record, versions, dossiers' steps and documents), hex.
	Seal string `json:"seal"`
}

// Levels lists the plan levels in hierarchy order.
var Levels = []string{"general", "zoning", "detailed"}

// Version is an immutable snapshot of a plan.
type Version struct {
	UID           string    `json:"uid"`    // global id
	Number        int       `json:"number"` // 1, 2, … per plan
	Current       bool      `json:"current"`
	Created       time.Time `json:"created"`
	Source        string    `json:"source"` // import | sample | dossier
	Message       string    `json:"message"`
	Parent        int       `json:"parent,omitempty"`
	Dossier       int64     `json:"dossier,omitempty"`
	DecisionNo    string    `json:"decision_no,omitempty"`
	DecisionDate  string    `json:"decision_date,omitempty"`
	MaThongTinQH  string    `json:"ma_thong_tin_qh,omitempty"`
	Seal          string    `json:"seal"` // hex: its record, items, lineage and parent's seal
	Features      int       `json:"features"`
	LayerNames    []string  `json:"layers"`
	ChangedLayers []string  `json:"-"`
}

// Snapshot is a version loaded into memory, geometry in WGS84 lon/lat.
type Snapshot struct {
	Plan    Plan
	Version Version
	Layers  []gis.Layer
	// Lineage maps a feature id to its parents' ids, as recorded when the
	// version was written (split and merged lots).
	Lineage map[string][]string
}

// Layer returns the named layer, or nil.
func (s *Snapshot) Layer(name string) *gis.Layer {
	for i := range s.Layers {
		if s.Layers[i].Name == name {
			return &s.Layers[i]
		}
	}
	return nil
}
