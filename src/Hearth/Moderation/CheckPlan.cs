namespace Hearth.Moderation;

/// <summary>
/// A check that must see the posts stored just before it, in the same batch (<see cref="Storage.GroupCommit"/>): the
/// copies of a spam run sent all at once arrive together, and each is judged against those before it.
/// </summary>
public interface IBatchCheck : ICommentCheck;

/// <summary>
/// The checks of a post, run in their order, split where the batch checks stand. Every other check only reads what
/// changes rarely (bans, team names, the spam filter's counts, the author's history), so it runs before the post
/// queues, alongside other requests; the one writer that stores posts one after another then runs only the batch
/// checks. The first check with something to say still decides, exactly as if all ran in a row: what the checks
/// before the batch checks said, else what the batch checks say, else what the checks after them said (the batch
/// checks stand together in the order: see ModerationSetup).
/// </summary>
public sealed record CheckPlan(CheckOutcome? Before, CheckOutcome? After)
{
    /// <summary>Runs every check but the batch checks; skips the checks after them when one before has decided.</summary>
    public static async Task<CheckPlan> PrepareAsync(IReadOnlyList<ICommentCheck> checks, CommentDraft draft, CancellationToken ct)
    {
        CheckOutcome? before = null, after = null;
        var passedBatch = false;
        foreach (var check in checks)
        {
            if (check is IBatchCheck)
            {
                passedBatch = true;
                continue;
            }
            if (!passedBatch)
            {
                if ((before = await check.RunAsync(draft, ct)) is not null)
                {
                    break;
                }
            }
            else if ((after = await check.RunAsync(draft, ct)) is not null)
            {
                break;
            }
        }
        return new CheckPlan(before, after);
    }

    /// <summary>The verdict, in the batch: the batch checks run only when no check before them has decided.</summary>
    public async Task<CheckOutcome?> DecideAsync(IReadOnlyList<ICommentCheck> checks, CommentDraft draft, CancellationToken ct)
    {
        if (Before is not null)
        {
            return Before;
        }
        foreach (var check in checks)
        {
            if (check is IBatchCheck && await check.RunAsync(draft, ct) is { } outcome)
            {
                return outcome;
            }
        }
        return After;
    }
}
