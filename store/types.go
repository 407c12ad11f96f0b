package store

import (
	"errors"
	"time"

	"quyhoach/gis"
)

// Errors callers can test with errors.Is; ui never sees database/sql errors.
var (
	ErrNotFound = errors.New("store: not found")
	ErrConflict = errors.New("store: conflict")
	ErrNoFile   = errors.New("store: no such file")
	ErrForeign  = errors.New("store: not a quyhoach file")
	ErrTooNew   = errors.New("store: file written by a newer quyhoach")
)

// Plan is a zoning plan kept in the store.
type Plan struct {
	Code           string `json:"code"`
	Name           string `json:"name"`
	Level          string `json:"level"` // general | zoning | detailed
	Scale          int    `json:"scale"` // denominator: 2000 for 1/2000
	Area           string `json:"area,omitempty"`
	Note           string `json:"note,omitempty"`
	CRS            int    `json:"crs"`             // official CRS, EPSG:9215
	CurrentVersion int    `json:"current_version"` // number; 0 before the first import
}

// Levels lists the plan levels in hierarchy order.
var Levels = []string{"general", "zoning", "detailed"}

// Version is an immutable snapshot of a plan.
type Version struct {
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
