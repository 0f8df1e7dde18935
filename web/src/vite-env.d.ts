// Types for Vite's import suffixes (`?url`) and CSS imports.
/// <reference types="vite/client" />
