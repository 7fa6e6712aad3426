package report

import (
	"errors"
	"fmt"
	"strings"
)

// Kind classifies an error so that the command line can choose an exit code
// and a message without parsing text.
type Kind int

const (
	KindOther    Kind = iota // unclassified
	KindUsage                // bad command line: exit code 2
	KindConfig               // config.toml is missing or invalid
	KindData                 // an export cannot be read at all
	KindTemplate             // a wording template is broken
	KindRender               // a document could not be produced
	KindDelivery             // mail or archive failed
)

func (k Kind) String() string {
	switch k {
	case KindUsage:
		return "usage error"
	case KindConfig:
		return "configuration error"
	case KindData:
		return "data error"
	case KindTemplate:
		return "template error"
	case KindRender:
		return "render error"
	case KindDelivery:
		return "delivery error"
	}
	return "error"
}

// Error is the one error type of the project. Op says what was being done,
// Path names the file (and Where the place inside it: sheet, row, column or
// config key) so that a clerk can find the problem.
type Error struct {
	Op    string
	Kind  Kind
	Path  string
	Where string
	Err   error
}

// E builds an *Error; Err may be nil when the message is in Op.
func E(kind Kind, op string, err error) *Error { return &Error{Kind: kind, Op: op, Err: err} }

func (e *Error) Error() string {
	var parts []string
	if e.Path != "" {
		loc := e.Path
		if e.Where != "" {
			loc += " (" + e.Where + ")"
		}
		parts = append(parts, loc)
	} else if e.Where != "" {
		parts = append(parts, e.Where)
	}
	if e.Op != "" {
		parts = append(parts, e.Op)
	}
	if e.Err != nil {
		parts = append(parts, e.Err.Error())
	}
	return strings.Join(parts, ": ")
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf reports the kind of the outermost *Error in err's chain that has
// one, or Other.
func KindOf(err error) Kind {
	var e *Error
	for err != nil {
		if !errors.As(err, &e) {
			return KindOther
		}
		if e.Kind != KindOther {
			return e.Kind
		}
		err = e.Err
	}
	return KindOther
}

// Errorf is fmt.Errorf wrapped as an *Error of the given kind.
func Errorf(kind Kind, format string, args ...any) *Error {
	return &Error{Kind: kind, Err: fmt.Errorf(format, args...)}
}
