package onvif

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"
)

// Node is a parsed XML element, matched by local name whatever its prefix.
type Node struct {
	Name     string
	Attrs    map[string]string
	Text     string
	Children []*Node
}

// maxDepth bounds nesting, against hostile replies.
const maxDepth = 64

// parseXML parses a reply, skipping any bytes before the first '<'.
func parseXML(b []byte) (*Node, error) {
	if i := bytes.IndexByte(b, '<'); i > 0 {
		b = b[i:]
	} else if i < 0 {
		return nil, errors.New("no XML in reply")
	}
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = false
	var stack []*Node
	var root *Node
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) >= maxDepth {
				return nil, errors.New("XML nested too deep")
			}
			n := &Node{Name: t.Name.Local}
			for _, a := range t.Attr {
				if n.Attrs == nil {
					n.Attrs = map[string]string{}
				}
				n.Attrs[a.Name.Local] = a.Value
			}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.Children = append(p.Children, n)
			} else if root == nil {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			if len(stack) == 0 {
				return nil, errors.New("unbalanced XML")
			}
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].Text += string(t)
			}
		}
	}
	if root == nil {
		return nil, errors.New("empty XML")
	}
	if len(stack) != 0 {
		return nil, errors.New("XML ends early")
	}
	return root, nil
}

// Child returns the first descendant along path, or nil.
func (n *Node) Child(path ...string) *Node {
	cur := n
	for _, name := range path {
		if cur == nil {
			return nil
		}
		var next *Node
		for _, c := range cur.Children {
			if c.Name == name {
				next = c
				break
			}
		}
		cur = next
	}
	return cur
}

// All returns the children of n named name.
func (n *Node) All(name string) []*Node {
	if n == nil {
		return nil
	}
	var out []*Node
	for _, c := range n.Children {
		if c.Name == name {
			out = append(out, c)
		}
	}
	return out
}

// Find returns the first node named name anywhere below n (depth first).
func (n *Node) Find(name string) *Node {
	if n == nil {
		return nil
	}
	for _, c := range n.Children {
		if c.Name == name {
			return c
		}
		if f := c.Find(name); f != nil {
			return f
		}
	}
	return nil
}

// Str returns the trimmed text at path, or "".
func (n *Node) Str(path ...string) string {
	c := n.Child(path...)
	if c == nil {
		return ""
	}
	return strings.TrimSpace(c.Text)
}

// Int returns the integer at path, or 0.
func (n *Node) Int(path ...string) int {
	v, _ := strconv.Atoi(n.Str(path...))
	return v
}

// Attr returns attribute name of n, or "".
func (n *Node) Attr(name string) string {
	if n == nil {
		return ""
	}
	return n.Attrs[name]
}

// FloatAttr returns a float attribute of the node at path.
func (n *Node) FloatAttr(attr string, path ...string) (float64, bool) {
	c := n.Child(path...)
	if c == nil {
		return 0, false
	}
	v, err := strconv.ParseFloat(c.Attr(attr), 64)
	return v, err == nil
}
