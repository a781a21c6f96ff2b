"""HTML report sections for latent profiles (BIC curves, profiles) and the influence model (null clines)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

__all__ = ["influence_sections", "profiles_sections"]

_COLOURS = ("#0969da", "#cf222e", "#1a7f37", "#8250df", "#bf8700", "#57606a", "#e16f24", "#1b7c83")


def profiles_sections(result: Any, table: Any) -> tuple[list[str], list[go.Figure]]:
    """BIC by number of profiles per covariance model; couples on two parameters, by profile."""
    bic = result.bic
    fig = go.Figure()
    for k, model in enumerate(bic.columns):
        fig.add_trace(
            go.Scatter(
                x=bic.index,
                y=bic[model],
                mode="lines+markers",
                name=model,
                line={"color": _COLOURS[k % len(_COLOURS)]},
                hovertemplate=f"{model}, G=%{{x}}: BIC %{{y:.2f}}<extra></extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=[result.n_profiles],
            y=[result.best.bic],
            mode="markers",
            marker={"size": 16, "symbol": "circle-open", "color": "black", "line": {"width": 2}},
            name=f"chosen: {result.model_name}, {result.n_profiles}",
        )
    )
    fig.update_layout(
        title="BIC by number of profiles (larger is better)",
        xaxis_title="profiles (G)",
        yaxis_title="BIC",
        height=420,
        margin={"l": 10, "r": 10, "t": 50, "b": 40},
    )
    figures = [fig]
    frame = result.to_frame()
    cols = list(result.columns)
    if len(cols) >= 2:
        x, y = cols[0], cols[1]
        if len(cols) > 2:  # the two parameters that separate the profiles most
            spread = result.means.std(axis=0) / np.sqrt(
                np.diagonal(result.covariances, axis1=1, axis2=2).mean(axis=0)
            )
            x, y = list(spread.sort_values(ascending=False).index[:2])
        scatter = go.Figure()
        for k, label in enumerate(result.profile_labels):
            rows = frame[frame["profile"] == label]
            scatter.add_trace(
                go.Scatter(
                    x=rows[x],
                    y=rows[y],
                    mode="markers",
                    name=f"profile {label}",
                    marker={"color": _COLOURS[k % len(_COLOURS)], "size": 7, "opacity": 0.75},
                    text=[str(i) for i in rows.index],
                    hovertemplate="couple %{text}<extra></extra>",
                )
            )
            scatter.add_trace(
                go.Scatter(
                    x=[result.means.loc[label, x]],
                    y=[result.means.loc[label, y]],
                    mode="markers",
                    marker={"symbol": "x", "size": 14, "color": _COLOURS[k % len(_COLOURS)]},
                    name=f"mean of profile {label}",
                    showlegend=False,
                )
            )
        scatter.update_layout(
            title=f"Couples by profile: {x} and {y}",
            xaxis_title=x,
            yaxis_title=y,
            height=460,
            margin={"l": 10, "r": 10, "t": 50, "b": 40},
        )
        figures.append(scatter)
    means = result.means.copy()
    means.insert(0, "proportion", result.proportions)
    parts = [
        f"<p>Chosen: <strong>{result.model_name}</strong> with <strong>{result.n_profiles}</strong> "
        f"profile(s) among {bic.size} fits; {result.n_couples} couples.</p>",
        "<h2>BIC table</h2>",
        table(bic),
        "<h2>Profiles</h2>",
        table(means),
        "<h2>Couples</h2>",
        table(frame.head(500)),
    ]
    return parts, figures


def influence_sections(result: Any, table: Any) -> tuple[list[str], list[go.Figure]]:
    """Null clines with the steady states, and each partner's influence points and function."""
    p0, p1 = result.partners
    lines = result.nullclines()
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=lines[p0][p1],
            y=lines[p0][p0],
            mode="lines",
            name=f"{p0}'s null cline",
            line={"color": _COLOURS[0], "width": 3},
        )
    )
    fig.add_trace(
        go.Scatter(
            x=lines[p1][p1],
            y=lines[p1][p0],
            mode="lines",
            name=f"{p1}'s null cline",
            line={"color": _COLOURS[1], "width": 3, "dash": "dash"},
        )
    )
    for s in result.steady_states:
        fig.add_trace(
            go.Scatter(
                x=[s["values"][1]],
                y=[s["values"][0]],
                mode="markers",
                marker={
                    "size": 14,
                    "color": "black" if s["stable"] else "white",
                    "line": {"color": "black", "width": 2},
                },
                name=f"{'stable' if s['stable'] else 'unstable'} steady state",
            )
        )
    fig.update_layout(
        title="Null clines and influenced steady states",
        xaxis_title=p1,
        yaxis_title=p0,
        height=480,
        margin={"l": 10, "r": 10, "t": 50, "b": 40},
    )
    points = result.influence_points()
    infl = make_subplots(
        rows=1, cols=2, subplot_titles=[f"influence of {p1} on {p0}", f"influence of {p0} on {p1}"]
    )
    for k, fit in enumerate(result.fits):
        rows = points[points["partner"] == fit.name]
        infl.add_trace(
            go.Scatter(
                x=rows["partner_score"],
                y=rows["influence"],
                mode="markers",
                marker={"color": _COLOURS[k], "opacity": 0.6},
                showlegend=False,
            ),
            row=1,
            col=k + 1,
        )
        grid = np.linspace(rows["partner_score"].min(), rows["partner_score"].max(), 200)
        if fit.influence.form == "ojive":
            grid = np.sort(np.concatenate([grid, [0.0]]))
        infl.add_trace(
            go.Scatter(
                x=grid,
                y=fit.influence(grid),
                mode="lines",
                line={"color": "black"},
                showlegend=False,
            ),
            row=1,
            col=k + 1,
        )
    infl.update_layout(height=380, margin={"l": 10, "r": 10, "t": 60, "b": 40})
    states = pd.DataFrame(
        [
            {
                p0: s["values"][0],
                p1: s["values"][1],
                "stable": s["stable"],
                "spectral radius": s["spectral_radius"],
            }
            for s in result.steady_states
        ],
        # numbered for readers from 1, like the steady states in the summary and the JSON's list
        index=pd.RangeIndex(1, len(result.steady_states) + 1, name="state"),
    )
    parts = ["<h2>Parameters</h2>", table(result.params)]
    parts += ["<h2>Influenced steady states</h2>"]
    parts.append(table(states) if len(states) else "<p>None: the null clines do not cross.</p>")
    return parts, [fig, infl]
