package assets

import _ "embed"

// FontRegular is Noto Sans Regular (SIL Open Font License 1.1, fonts/OFL.txt):
// the text face of printed sheets; it covers Vietnamese.
//
//go:embed fonts/NotoSans-Regular.ttf
var FontRegular []byte

// FontBold is Noto Sans Bold (SIL Open Font License 1.1, fonts/OFL.txt).
//
//go:embed fonts/NotoSans-Bold.ttf
var FontBold []byte
