/* Keeping a team's view current from broadcasts (player tablet, dashboard, big screen).
 * With several server processes behind a message queue, a view can arrive after a newer one: each
 * view carries the team's version, raised by every action, and an older one is dropped. A vote that
 * did not complete the ballot is sent as a small `voted` event (who has voted, never what). */
(function () {
  "use strict";
  window.teamViews = {
    /* Should `view` replace `known` (the view shown now, or undefined)? */
    isNewer(known, view) {
      return !known || known.team.id !== view.team.id || view.version >= known.version;
    },
    /* The view after a `voted` event; `known` itself when it is already as new; null when the event
     * belongs to another round or phase (a step was missed: fetch the whole state). */
    withVotes(known, voted) {
      if (!known || voted.team_id !== known.team.id || voted.version <= known.version) return known;
      if (voted.round !== known.round || voted.phase !== known.phase) return null;
      const ids = new Set(voted.voter_ids);
      return Object.assign({}, known, { version: voted.version, votes_cast: voted.votes_cast,
        players: known.players.map((p) => Object.assign({}, p, { voted: ids.has(p.id) })) });
    },
  };
})();
