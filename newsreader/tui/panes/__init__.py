"""The main screen's panes: feeds, articles, reader. Each owns its widgets, state, actions
and workers, and talks to the others through messages the main screen mediates."""
