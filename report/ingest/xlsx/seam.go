package xlsx

// seam finds a short pattern in a text that arrives in pieces (a part read
// in chunks, a string's character data split by runs, CDATA or comments),
// in constant memory: it keeps the last bytes of the pieces so far, as
// many as a match may reach back into them.
type seam struct {
	tail [maxSeamWidth - 1]byte
	kept int // of tail
}

// maxSeamWidth is the longest pattern a seam finds across pieces.
const maxSeamWidth = 16

// found reports whether match finds its pattern, at most width bytes long,
// in the text so far ending with piece: within piece, or across its start.
func (s *seam) found(piece []byte, width int, match func([]byte) bool) bool {
	keep := width - 1
	var across [2 * (maxSeamWidth - 1)]byte
	joined := append(append(across[:0], s.tail[:s.kept]...), piece[:min(len(piece), keep)]...)
	hit := match(joined) || match(piece)
	last := joined[max(0, len(joined)-keep):]
	if len(piece) > keep {
		last = piece[len(piece)-keep:]
	}
	s.kept = copy(s.tail[:], last)
	return hit
}
