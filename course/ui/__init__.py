"""Streamlit pages and components: the only code that imports streamlit."""
