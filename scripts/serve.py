"""Start the Streamlit server on app.py with st.navigation semantics from the very first run.

Streamlit treats a folder named pages/ beside the entry script as a legacy multipage app until a
script calls st.navigation; the first run of a process (and direct links to /budget etc.) would run
a page without the app.py frame. The flag is process-wide, so setting it before the server starts
fixes it for every session. (app.py keeps a fallback for `streamlit run app.py`.)
"""

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

PagesManager.uses_pages_directory = False
sys.argv = ["streamlit", "run", str(Path(__file__).resolve().parent.parent / "app.py"), *sys.argv[1:]]
sys.exit(cli.main())
