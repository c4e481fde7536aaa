import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app/App";
import "./styles/base.css";
import "./styles/layout.css";
import "./styles/forms.css";
import "./styles/chat.css";
import "./styles/inbox.css";
import "./styles/composerTools.css";
import "./styles/files.css";

const container = document.getElementById("root");
if (!container) throw new Error("index.html has no #root");
createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
