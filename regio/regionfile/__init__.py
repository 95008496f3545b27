"""Region definition files: one YAML file creates or updates a whole cooperation.

Each app registers the top-level section it owns (``register_section``) in its ``AppConfig.ready``; the loader
validates the whole file against the combined JSON Schema first, then loads the sections in order inside one
transaction. A bad file is refused whole, with messages that name the file, the path inside it and the problem.
The format is documented in ``docs/region-file.md``.
"""

from regio.regionfile.registry import LoadContext, Problem, RegionFileError, Section, register_section, sections

__all__ = ["LoadContext", "Problem", "RegionFileError", "Section", "register_section", "sections"]
