// Package provenance marks the workbooks udrul writes — reports, extracts,
// wave proposals — with a custom document property, and recognises the
// mark, so that such a workbook is never read back as a plan wherever it is
// saved (Excel and LibreOffice keep custom properties on "Save as"). Plan
// templates carry no mark: they are plans to be filled in.
package provenance

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Property is the name of the custom document property.
const Property = "udrul"

// The kinds of workbook udrul writes.
const (
	Report   = "report"   // the consolidated report, or a municipality's extract
	Proposal = "proposal" // a wave proposal
	Criteria = "criteria" // an example criteria sheet for wave placement
)

// Mark records in f that udrul wrote it, as what kind of workbook.
func Mark(f *excelize.File, kind string) error {
	return f.SetCustomProps(excelize.CustomProperty{Name: Property, Value: kind})
}

// maxCustomXML bounds what is read of a workbook's custom properties.
const maxCustomXML = 1 << 20

// Written reports whether data is a workbook udrul wrote, and as what. Any
// other file, readable or not, is not.
func Written(data []byte) (kind string, ok bool) {
	if len(data) < 4 || !bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return "", false
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", false
	}
	for _, zf := range zr.File {
		if !strings.EqualFold(zf.Name, "docProps/custom.xml") {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			return "", false
		}
		defer rc.Close()
		var props struct {
			Property []struct {
				Name  string `xml:"name,attr"`
				Value string `xml:"lpwstr"`
			} `xml:"property"`
		}
		if err := xml.NewDecoder(io.LimitReader(rc, maxCustomXML)).Decode(&props); err != nil {
			return "", false
		}
		for _, p := range props.Property {
			if p.Name == Property {
				return p.Value, true
			}
		}
		return "", false
	}
	return "", false
}
