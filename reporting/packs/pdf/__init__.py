"""PDF packs: the pack's context, WeasyPrint rendering, a locked-down URL fetcher and the print CSS."""
