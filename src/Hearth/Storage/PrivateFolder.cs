namespace Hearth.Storage;

/// <summary>
/// A folder in the data folder that only the account running Hearth may open (0700): the Data Protection key files of
/// older versions and the outbox hold secrets in plain form (the keys themselves; links that sign a person in or reset a password).
/// </summary>
public static class PrivateFolder
{
    const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates the folder for the owner only, or takes the others' access away from one that exists.</summary>
    public static DirectoryInfo Ensure(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            // ACLs, inherited from the data folder, are the operator's to set; there is no mode to apply.
            return Directory.CreateDirectory(path);
        }
        // The data folder above is the operator's, made with the usual mode; only this folder is closed.
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var folder = Directory.CreateDirectory(path, OwnerOnly);
        if ((File.GetUnixFileMode(path) & ~OwnerOnly) != 0)
        {
            File.SetUnixFileMode(path, OwnerOnly);
        }
        return folder;
    }
}
