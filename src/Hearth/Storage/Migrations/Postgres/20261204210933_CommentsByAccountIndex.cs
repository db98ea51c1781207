using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hearth.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CommentsByAccountIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // An account's comments are looked up by the account (its export, its deletion, its profile, linking a
            // site's sign-in to it, the inbox's check that a reply is the person's own); without an index each of those
            // read every comment of the instance. The author is a complex property, which the model cannot index yet,
            // so the index is made here, as CommentsByAuthorIndex is; guests' comments, most of them, have no account
            // and stay out of it.
            migrationBuilder.Sql("""CREATE INDEX "IX_Comments_Author_UserId" ON "Comments" ("Author_UserId") WHERE "Author_UserId" IS NOT NULL;""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP INDEX "IX_Comments_Author_UserId";""");
        }
    }
}
