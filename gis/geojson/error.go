package geojson

import (
	"strconv"
	"strings"
)

// Problem is one thing wrong with a GeoJSON file.
type Problem struct {
	Feature int    // index of the feature in the file, -1 for the file as a whole
	Path    string // JSON path of the offending value, e.g. features[17].geometry.coordinates[0][3]
	Msg     string // what is wrong, e.g. "ring not closed"
}

// String formats the problem as one line:
// "feature 17: ring not closed (features[17].geometry.coordinates[0])".
func (p Problem) String() string {
	var b strings.Builder
	if p.Feature >= 0 {
		b.WriteString("feature ")
		b.WriteString(strconv.Itoa(p.Feature))
		b.WriteString(": ")
	}
	b.WriteString(p.Msg)
	if p.Path != "" {
		b.WriteString(" (")
		b.WriteString(p.Path)
		b.WriteByte(')')
	}
	return b.String()
}

// Error is returned by Read when the content of a file is not acceptable.
// It lists every problem found, in file order, up to a cap of 100.
type Error struct {
	Problems []Problem
}

// maxListed is how many problems Error lists before summarising the rest.
const maxListed = 20

// Error lists up to 20 problems, one per line; when there are more, it says
// how many and ends with the last one (which says when reading stopped).
func (e *Error) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i == maxListed && len(e.Problems) > maxListed+1 {
			b.WriteString("\n... and ")
			b.WriteString(strconv.Itoa(len(e.Problems) - maxListed - 1))
			b.WriteString(" more problems\n")
			b.WriteString(e.Problems[len(e.Problems)-1].String())
			break
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.String())
	}
	return b.String()
}
